/** Always-visible sync status: connection, pending changes, last sync, error, pull progress, "Sync now". */
import { STATUS_EVENT } from '../sync/sync_engine.js';
import { h, icon } from './dom.js';
import { formatNumber, formatRelative, t } from './i18n.js';

const SYNC_ICON = 'M12 4V1L8 5l4 4V6a6 6 0 0 1 6 6 6 6 0 0 1-.7 2.8l1.5 1.5A8 8 0 0 0 12 4zm0 14a6 6 0 0 1-6-6c0-1 .3-2 .7-2.8L5.2 7.7A8 8 0 0 0 12 20v3l4-4-4-4v3z';
const REFRESH_MS = 30_000;

export class StatusBar {
  constructor(element, engine) {
    this.element = element;
    this.engine = engine;
    engine.addEventListener(STATUS_EVENT, () => this.render());
    setInterval(() => this.render(), REFRESH_MS); // keeps "2 minutes ago" true
    this.render();
  }

  render() {
    const { online, pending, lastSyncAt, error, phase, received, pages, loginRequired } = this.engine.status;
    const busy = phase !== 'idle';
    Object.assign(this.element.dataset, { testid: 'status-bar', online: String(online), phase });

    const connection = h('span', { class: `connection ${online ? 'is-online' : 'is-offline'}`, testid: 'connection-state' },
      h('span', { class: 'dot', 'aria-hidden': 'true' }), online ? t('status.online') : t('status.offline'));
    const pendingCount = h('span', {
      class: `pending ${pending > 0 ? 'has-pending' : ''}`, testid: 'pending-count', dataset: { count: String(pending) },
    }, t('status.pending', { count: pending, n: formatNumber(pending) }));
    const syncButton = h('button', {
      type: 'button', class: 'button sync-now', testid: 'sync-now', disabled: busy || loginRequired,
      'aria-label': t('status.syncNow'), onclick: () => this.engine.syncNow(),
    }, icon(SYNC_ICON), h('span', { class: 'sync-now-label' }, t('status.syncNowShort')));

    const details = [];
    if (busy) details.push(this.progress(phase, received, pages));
    else if (error) {
      details.push(h('span', { class: 'sync-error', testid: 'sync-error', role: 'alert', dataset: { code: error.code } },
        t(`sync.error.${error.code}`, { status: error.status ?? '' })));
    }
    details.push(h('span', { class: 'last-sync', testid: 'last-sync', dataset: { time: lastSyncAt ?? '' } },
      lastSyncAt ? t('status.lastSync', { when: formatRelative(lastSyncAt) }) : t('status.neverSynced')));

    this.element.replaceChildren(
      h('div', { class: 'status-row' }, connection, pendingCount, syncButton),
      h('div', { class: 'status-row status-details', 'aria-live': 'polite' }, details),
    );
  }

  /** Pull progress: the total is unknown, so it counts changes and pages. */
  progress(phase, received, pages) {
    let label = t('status.pushing');
    if (phase === 'pulling') {
      label = pages === 0 ? t('status.pullingStart') : t('status.pulling', { received: formatNumber(received), pages: formatNumber(pages) });
    }
    return h('span', { class: 'sync-progress', testid: 'sync-progress' },
      h('progress', { 'aria-label': label }), h('span', {}, label));
  }
}
