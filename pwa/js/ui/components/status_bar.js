/**
 * Always-visible sync status in two short lines: what waits on this phone (changes and photos)
 * and "Sync now"; below, the connection and the last sync, or the progress of the photo upload,
 * push or pull under way. An error takes a line of its own between the two.
 */
import { STATUS_EVENT } from '../../sync/sync_engine.js';
import { h, icon } from '../dom.js';
import { formatNumber, formatRelative, t } from '../i18n.js';

const SYNC_ICON = 'M12 4V1L8 5l4 4V6a6 6 0 0 1 6 6 6 6 0 0 1-.7 2.8l1.5 1.5A8 8 0 0 0 12 4zm0 14a6 6 0 0 1-6-6c0-1 .3-2 .7-2.8L5.2 7.7A8 8 0 0 0 12 20v3l4-4-4-4v3z';
const REFRESH_MS = 30_000;

/** "3 changes to sync", "2 photos waiting", "3 changes · 2 photos", or "All synced" when nothing waits. */
export function waitingText(pending, photos) {
  if (photos === 0) return t('status.pending', { count: pending, n: formatNumber(pending) });
  if (pending === 0) return t('status.photos', { count: photos, n: formatNumber(photos) });
  return t('status.pendingAndPhotos', {
    changes: t('status.changes', { count: pending, n: formatNumber(pending) }),
    photos: t('status.photosShort', { count: photos, n: formatNumber(photos) }),
  });
}

/** "3 changes" and "2 photos" as two lines; a hidden separator keeps the text "3 changes · 2 photos". */
function waitingLines(pending, photos) {
  return [
    h('span', {}, t('status.changes', { count: pending, n: formatNumber(pending) })),
    h('span', { class: 'pending-separator' }, t('status.pendingAndPhotos', { changes: '', photos: '' })),
    h('span', {}, t('status.photosShort', { count: photos, n: formatNumber(photos) })),
  ];
}

/** Sync errors the app retries by itself (the others ask the user to act). */
const RETRIED = new Set(['network', 'server', 'http', 'client']);

export class StatusBar {
  constructor(element, engine) {
    this.element = element;
    this.engine = engine;
    engine.addEventListener(STATUS_EVENT, () => this.render());
    setInterval(() => this.render(), REFRESH_MS); // keeps "2 minutes ago" true
    this.render();
  }

  render() {
    const { online, pending, queued = pending, photos = 0, lastSyncAt, error, phase, loginRequired } = this.engine.status;
    const busy = phase !== 'idle';
    Object.assign(this.element.dataset, { testid: 'status-bar', online: String(online), phase });

    const connection = h('span', { class: `connection ${online ? 'is-online' : 'is-offline'}`, testid: 'connection-state' },
      h('span', { class: 'dot', 'aria-hidden': 'true' }),
      h('span', { class: 'connection-label' }, online ? t('status.online') : t('status.offline')));
    // "All synced" only after a sync: before the first one nothing waits, yet nothing is synced either.
    const waiting = pending + photos === 0 && !lastSyncAt ? t('status.nothingYet') : waitingText(pending, photos);
    // Changes and photos both waiting: one count a line, so a long one ("128 changes") is never cut.
    const both = pending > 0 && photos > 0;
    const pendingCount = h('span', {
      class: `pending ${pending + photos > 0 ? 'has-pending' : ''} ${both ? 'pending-both' : ''}`, testid: 'pending-count', title: waiting,
      dataset: { count: String(pending), queued: String(queued), photos: String(photos) },
    }, both ? waitingLines(pending, photos) : waiting);
    const syncButton = h('button', {
      type: 'button', class: 'button sync-now', testid: 'sync-now', disabled: busy || loginRequired,
      'aria-label': t('status.syncNow'), onclick: () => this.engine.syncNow(),
    }, icon(SYNC_ICON), h('span', { class: 'sync-now-label' }, t('status.syncNowShort')));

    const details = [connection];
    // Offline, an error the app retries says nothing the offline dot does not; one asking for action stays.
    const shownError = error && !(RETRIED.has(error.code) && !online) ? error : null;
    if (busy) details.push(this.progress({ ...this.engine.status, queued }));
    else if (shownError) {
      details.push(h('span', { class: 'sync-error', testid: 'sync-error', role: 'alert', dataset: { code: shownError.code } },
        t(`sync.error.${shownError.code}`, { status: shownError.status ?? '' })));
    }
    // Always in the page (tests and scripts read its time); hidden while the progress takes its place.
    details.push(h('span', { class: 'last-sync', testid: 'last-sync', hidden: busy, dataset: { time: lastSyncAt ?? '' } },
      lastSyncAt ? t('status.lastSync', { when: formatRelative(lastSyncAt) }) : t('status.neverSynced')));

    this.element.replaceChildren(
      h('div', { class: 'status-row status-main' }, pendingCount, syncButton),
      h('div', { class: `status-row status-details ${shownError && !busy ? 'has-error' : ''}`, 'aria-live': 'polite' }, details),
    );
  }

  /**
   * What the cycle is doing: photos uploaded of how many (by bytes on the bar), sending, or
   * receiving (total unknown). A cycle with nothing to send says it is checking, never "sending".
   */
  progress({ phase, queued, received, pages, uploaded, uploads, sentBytes, totalBytes }) {
    let label = queued > 0 ? t('status.pushing') : t('status.checking');
    let bar = h('progress', {});
    const dataset = { phase };
    if (phase === 'uploading') {
      label = t('status.uploading', { done: formatNumber(Math.min(uploaded + 1, uploads)), total: formatNumber(uploads) });
      // Moving (indeterminate) until a first photo is done, then how much of the bytes went.
      bar = sentBytes > 0 && totalBytes > 0 ? h('progress', { max: String(totalBytes), value: String(sentBytes) }) : h('progress', {});
      Object.assign(dataset, { uploaded: String(uploaded), uploads: String(uploads) });
    } else if (phase === 'pulling') {
      label = pages === 0 ? t('status.pullingStart') : t('status.pulling', { received: formatNumber(received) });
    }
    bar.setAttribute('aria-label', label);
    return h('span', { class: 'sync-progress', testid: 'sync-progress', dataset }, bar, h('span', { class: 'sync-progress-label' }, label));
  }
}
