/** Asks for persistent storage and warns when the browser may clear this device's data. */
import { h } from '../dom.js';
import { t } from '../i18n.js';

const DISMISSED_KEY = 'gridline.storageWarningDismissed';

export class StorageWarning {
  constructor(container) {
    this.element = h('div', { class: 'banner banner-warning banner-compact', testid: 'storage-warning', role: 'status', hidden: true });
    container.append(this.element);
    this.persisted = null; // true | false | null while unknown
  }

  /**
   * Whether the data is already kept for good, asked before the first screen is drawn: a
   * warning that came in later would push the screen down under a finger about to tap.
   */
  async check() {
    if (!navigator.storage?.persisted) return;
    this.persisted = await navigator.storage.persisted();
    this.render();
  }

  /** Asks `navigator.storage.persist()` once per start; shows the warning when refused. */
  async requestPersistence() {
    if (!navigator.storage?.persist) return;
    this.persisted ??= await navigator.storage.persisted(); // already known when `check` ran
    if (!this.persisted) this.persisted = await navigator.storage.persist();
    this.render();
  }

  render() {
    const show = this.persisted === false && !localStorage.getItem(DISMISSED_KEY);
    this.element.hidden = !show;
    if (!show) return;
    this.element.replaceChildren(
      h('span', {}, t('storage.notPersistedShort')),
      h('button', { type: 'button', class: 'button banner-button', testid: 'storage-warning-dismiss', onclick: () => this.dismiss() },
        t('storage.dismiss')),
    );
  }

  dismiss() {
    localStorage.setItem(DISMISSED_KEY, '1');
    this.render();
  }
}
