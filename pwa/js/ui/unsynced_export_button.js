/** "Export unsynced changes": downloads the outbox as a JSON file. */
import { exportUnsynced } from '../sync/unsynced_transfer.js';
import { h } from './dom.js';
import { t } from './i18n.js';

/** A button that saves the outbox of `user` (the queue's owner) to a file. */
export function UnsyncedExportButton(app, user) {
  return h('button', {
    type: 'button', class: 'button button-block', testid: 'export-unsynced',
    onclick: async () => {
      const exported = await exportUnsynced(user);
      download(fileName(user), JSON.stringify(exported, null, 2));
      app.notify(t('transfer.exported', { count: exported.mutations.length }));
    },
  }, t('transfer.export'));
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
