/** "Export unsynced changes": downloads the outbox and the photos not yet uploaded as a JSON file. */
import { exportUnsynced } from '../../sync/unsynced_transfer.js';
import { h } from '../dom.js';
import { formatNumber, joinSentences, t } from '../i18n.js';

/**
 * A button that saves the outbox of `user` (the queue's owner) to a file, with a progress bar
 * while the photos are packed (testids `export-unsynced`, `export-progress`).
 */
export function UnsyncedExportButton(app, user) {
  const bar = h('progress', { max: 1, value: 0 });
  const label = h('span', {});
  const progress = h('p', { class: 'transfer-progress', testid: 'export-progress', role: 'status', hidden: true }, label, bar);
  const button = h('button', {
    type: 'button', class: 'button button-block', testid: 'export-unsynced',
    onclick: async () => {
      button.disabled = true;
      progress.hidden = false;
      try {
        const exported = await exportUnsynced(user, (done, total) => {
          bar.max = Math.max(total, 1);
          bar.value = done;
          label.textContent = t('transfer.exporting', { percent: formatNumber(total ? Math.floor((done / total) * 100) : 100) });
        });
        download(fileName(user), JSON.stringify(exported, null, 2));
        const photos = exported.blobs.length;
        app.notify(joinSentences([t('transfer.exported', { count: exported.mutations.length }),
          photos ? t('transfer.exportedPhotos', { count: photos }) : null]));
      } finally {
        button.disabled = false;
        progress.hidden = true;
      }
    },
  }, t('transfer.export'));
  return h('div', { class: 'stack transfer-export' }, button, progress);
}

function fileName(user) {
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return `gridline-unsynced-${user.username}-${stamp}.json`;
}

function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
