/** "Import unsynced changes": reads an exported file and queues its changes (and photos) on this device. */
import { ImportError, importUnsynced } from '../../sync/unsynced_transfer.js';
import { h } from '../dom.js';
import { joinSentences, t } from '../i18n.js';

export function UnsyncedImportField(app) {
  const id = 'import-unsynced';
  const result = h('p', { class: 'muted', testid: 'import-result', role: 'status' });
  const bar = h('progress', { max: 1, value: 0 });
  const label = h('span', {});
  const progress = h('p', { class: 'transfer-progress', testid: 'import-progress', hidden: true }, label, bar);
  const input = h('input', {
    id, type: 'file', accept: 'application/json,.json', testid: id, class: 'file-input',
    onchange: async () => {
      const [file] = input.files;
      if (!file) return;
      for (const name of ['imported', 'skipped', 'photos', 'damaged', 'error']) delete result.dataset[name];
      result.textContent = '';
      try {
        const counts = await importUnsynced(await file.text(), app.session.user, (done, total) => {
          progress.hidden = total === 0;
          bar.max = Math.max(total, 1);
          bar.value = done;
          label.textContent = t('transfer.importingPhotos', { done, total });
        });
        result.textContent = joinSentences([
          t('transfer.imported', { imported: counts.imported, skipped: counts.skipped }),
          counts.photos ? t('transfer.importedPhotos', { count: counts.photos }) : null,
          counts.damaged ? t('transfer.damagedPhotos', { count: counts.damaged }) : null,
        ]);
        for (const name of ['imported', 'skipped', 'photos', 'damaged']) result.dataset[name] = String(counts[name]);
        if (counts.photos > 0) app.engine?.run(); // photos alone do not touch the outbox that wakes the loop
      } catch (error) {
        result.textContent = error instanceof ImportError ? t(`transfer.error.${error.code}`) : t('transfer.error.unreadable');
        result.dataset.error = error.code ?? 'unreadable';
      } finally {
        input.value = '';
        progress.hidden = true;
      }
    },
  });
  return h('div', { class: 'field' },
    h('label', { for: id, class: 'button button-block file-label' }, t('transfer.import')),
    input,
    h('p', { class: 'hint' }, t('transfer.importHint')),
    progress,
    result);
}
