/** "More": the user, language, all record lists, moving unsynced changes between phones, logout. */
import { onChange } from '../../db/change_feed.js';
import { countPendingBlobs } from '../../db/pending_blobs.js';
import { countPending } from '../../sync/outbox.js';
import { RECORD_TYPES } from '../../sync/record_types.js';
import { ConfirmButton } from '../components/confirm_button.js';
import { h, userText } from '../dom.js';
import { joinSentences, t } from '../i18n.js';
import { LanguageSwitch } from './language_switch.js';
import { Screen } from '../screen.js';
import { UnsyncedExportButton } from './unsynced_export_button.js';
import { UnsyncedImportField } from './unsynced_import_field.js';

/** Types with a screen of their own; the others use the plain record list. */
const LIST_PATHS = {
  task: '/tasks', section: '/sections', briefing: '/briefings', safety_check: '/checks', feedback: '/feedback', checklist: '/checklists', worker: '/crew',
  document: '/documents',
};

export class MoreScreen extends Screen {
  constructor(...args) {
    super(...args);
    // The transfer part follows the queue (a sync empties it) without redrawing the import result.
    for (const topic of ['outbox', 'blobs']) this.onDestroy(onChange(topic, () => this.drawTransfer()));
  }

  async render() {
    const { user, memberships } = this.app.session;
    const pending = await countPending();
    const persisted = await navigator.storage?.persisted?.();
    this.transferStatus = h('p', { class: 'muted', testid: 'transfer-status' });
    this.exportButton = UnsyncedExportButton(this.app, user);
    await this.drawTransfer();
    this.show(
      h('header', { class: 'screen-header' }, h('h1', { tabindex: '-1' }, t('more.title'))),
      h('section', { class: 'stack', testid: 'current-user' },
        h('h2', {}, user.name || user.username),
        h('ul', { class: 'plain-list' }, memberships.map((m) => h('li', {},
          userText(m.project_name || m.project_code), `: ${m.roles.map((role) => t(`role.${role}`)).join('、')}`)))),
      h('section', { class: 'stack' },
        h('h2', {}, t('more.records')),
        h('ul', { class: 'link-list' }, Object.keys(RECORD_TYPES).map((type) =>
          h('li', {}, h('a', { href: LIST_PATHS[type] ?? `/records/${type}`, testid: `records-${type}` }, t(`types.${type}`)))))),
      h('section', { class: 'stack transfer', 'aria-labelledby': 'transfer-heading' },
        h('h2', { id: 'transfer-heading' }, t('transfer.title')),
        this.transferStatus,
        this.exportButton,
        UnsyncedImportField(this.app)),
      h('section', { class: 'stack' },
        h('h2', {}, t('settings.title')),
        LanguageSwitch((code) => this.app.changeLocale(code)),
        h('p', { class: persisted ? 'muted' : 'notice', testid: 'storage-status' },
          persisted ? t('storage.persisted') : t('storage.notPersisted'))),
      ConfirmButton({
        label: t('auth.logout'),
        confirmLabel: pending > 0 ? t('auth.logoutConfirmPending', { count: pending }) : t('auth.logoutConfirm'),
        testid: 'logout', className: 'button button-block',
        onConfirm: () => this.logout(),
      }));
  }

  /** "Everything is synced", or what waits (changes, photos) with the export button. */
  async drawTransfer() {
    if (!this.transferStatus) return;
    const [changes, photos] = await Promise.all([countPending(), countPendingBlobs()]);
    const waiting = [
      changes ? t('transfer.pendingChanges', { count: changes }) : null,
      photos ? t('transfer.pendingPhotos', { count: photos }) : null,
    ].filter(Boolean);
    this.transferStatus.textContent = waiting.length ? joinSentences([...waiting, t('transfer.advice')]) : t('transfer.synced');
    Object.assign(this.transferStatus.dataset, { changes: String(changes), photos: String(photos) });
    this.exportButton.hidden = waiting.length === 0;
  }

  async logout() {
    // The sync under way stops first: nothing reaches the server on a session it has ended.
    await this.app.engine.pause();
    await this.app.session.logout(this.app.api);
    this.app.router.navigate('/login', { replace: true });
  }
}
