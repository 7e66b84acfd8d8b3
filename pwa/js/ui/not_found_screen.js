/** Shown for paths no route knows. */
import { h } from './dom.js';
import { t } from './i18n.js';
import { Screen } from './screen.js';

export class NotFoundScreen extends Screen {
  async render() {
    this.show(
      h('h1', { tabindex: '-1' }, t('notFound.title')),
      h('p', {}, h('a', { href: '/' }, t('notFound.home'))));
  }
}
