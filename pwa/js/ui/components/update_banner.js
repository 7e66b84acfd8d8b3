/** "Update available — reload" banner shown when a new service worker is waiting. */
import { h } from '../dom.js';
import { t } from '../i18n.js';

export class UpdateBanner {
  constructor(container) {
    this.element = h('div', { class: 'banner banner-info', testid: 'update-banner', role: 'status', hidden: true });
    container.append(this.element);
    this.waiting = null;
  }

  show(worker) {
    this.waiting = worker;
    this.render();
  }

  render() {
    this.element.hidden = !this.waiting;
    if (!this.waiting) return;
    this.element.replaceChildren(
      h('span', {}, t('update.available')),
      h('button', { type: 'button', class: 'button', testid: 'update-reload', onclick: () => this.apply() }, t('update.reload')),
    );
  }

  /** Asks the waiting worker to take over; the `controllerchange` handler then reloads the page. */
  apply() {
    this.waiting?.postMessage({ type: 'SKIP_WAITING' });
  }
}
