/** "Import unsynced changes": reads an exported file and queues its changes on this device. */
import { ImportError, importUnsynced } from '../sync/unsynced_transfer.js';
import { h } from './dom.js';
import { t } from './i18n.js';

export function UnsyncedImportField(app) {
  const id = 'import-unsynced';
  const result = h('p', { class: 'muted', testid: 'import-result', role: 'status' });
  const input = h('input', {
    id, type: 'file', accept: 'application/json,.json', testid: id, class: 'file-input',
    onchange: async () => {
      const [file] = input.files;
      if (!file) return;
      try {
        const { imported, skipped } = await importUnsynced(await file.text(), app.session.user);
        result.textContent = t('transfer.imported', { imported, skipped });
        result.dataset.imported = String(imported);
        result.dataset.skipped = String(skipped);
      } catch (error) {
        result.textContent = error instanceof ImportError ? t(`transfer.error.${error.code}`) : t('transfer.error.unreadable');
        result.dataset.error = error.code ?? 'unreadable';
      } finally {
        input.value = '';
      }
    },
  });
  return h('div', { class: 'field' },
    h('label', { for: id, class: 'button button-block file-label' }, t('transfer.import')),
    input,
    h('p', { class: 'hint' }, t('transfer.importHint')),
    result);
}
