/**
 * "Keep offline" on a document's page: keeps the current version's file and pages on the phone,
 * shows how much the phone stores for this app, and removes the copy again.
 */
import { h } from '../dom.js';
import { formatNumber, t } from '../i18n.js';
import { keepOffline, keptDocuments, releaseOffline, storageUse } from './offline_copies.js';

const megabytes = (bytes) => formatNumber(Math.round((bytes / 1_048_576) * 10) / 10);

export class KeepOfflinePanel {
  constructor(screen) {
    this.screen = screen;
    this.busy = null; // the progress text while a copy is fetched
    this.error = null;
    this.element = h('section', { class: 'card stack keep-offline', testid: 'keep-offline' });
  }

  /** Redraws for `document` and its `current` version. */
  async update(document, current) {
    const [kept, use] = await Promise.all([keptDocuments(), storageUse()]);
    const entry = kept[document.id];
    const synced = current && current.serverSeq != null;
    const status = entry
      ? t(entry.versionId === current?.id ? 'documents.keptRevision' : 'documents.keptOlder', { revision: this.revisionOf(entry) })
      : t('documents.notKept');
    // replaceChildren would write a skipped (null) part as the text "null".
    this.element.replaceChildren(...[
      h('h2', {}, t('documents.offline')),
      h('p', { testid: 'keep-offline-status', dataset: { kept: String(Boolean(entry)) } }, status),
      this.busy ? h('p', { class: 'hint', role: 'status', testid: 'keep-offline-progress' }, this.busy) : null,
      this.error ? h('p', { class: 'form-error', role: 'alert' }, this.error) : null,
      entry
        ? h('button', { type: 'button', class: 'button', testid: 'keep-offline-remove', disabled: Boolean(this.busy), onclick: () => this.release(document) }, t('documents.unpin'))
        : h('button', {
          type: 'button', class: 'button button-primary', testid: 'keep-offline-add', disabled: Boolean(this.busy) || !synced,
          onclick: () => this.keep(document, current),
        }, t('documents.pin')),
      !synced && !entry ? h('p', { class: 'hint' }, t('documents.pinAfterSync')) : null,
      use ? h('p', { class: 'hint', testid: 'storage-use' }, t('documents.storageUse', { used: megabytes(use.usage), total: megabytes(use.quota) })) : null,
    ].filter(Boolean));
    this.versions = this.screen.versions;
  }

  revisionOf(entry) {
    return this.screen.versions?.find((version) => version.id === entry.versionId)?.fields.revision ?? '?';
  }

  async keep(document, current) {
    this.error = null;
    this.busy = t('documents.pinning');
    await this.update(document, current);
    try {
      await keepOffline(this.screen.app, document.id, current, (done, total) => {
        this.busy = t('documents.pinningPages', { done, total });
        const line = this.element.querySelector('[data-testid="keep-offline-progress"]');
        if (line) line.textContent = this.busy;
      });
    } catch {
      this.error = t(navigator.onLine ? 'documents.pinFailed' : 'documents.pinOffline');
    }
    this.busy = null;
    await this.update(document, current);
  }

  async release(document) {
    await releaseOffline(document.id);
    this.screen.scheduleRender();
  }
}
