/** Shown for paths no route knows, and when a screen's code could not be loaded (offline before it was cached). */
import { h } from './dom.js';
import { t } from './i18n.js';
import { Screen } from './screen.js';

export class NotFoundScreen extends Screen {
  async render() {
    this.show(
      h('h1', { tabindex: '-1' }, this.params.loadFailed ? t('notFound.loadFailed') : t('notFound.title')),
      h('p', {}, h('a', { href: '/' }, t('notFound.home'))));
  }
}
