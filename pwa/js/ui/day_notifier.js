/**
 * After each sync, one system notification summing up what is new for the user: work assigned,
 * work sent back, approvals awaiting their decision, escalations. Shown by the service worker's
 * registration (no push service: the app's own sync brings the news), and only once the user
 * allowed it (components/notification_prompt.js). What was already told is kept on the phone
 * (meta `day_notified`), so a thing is told once.
 */
import { getMeta, setMeta } from '../db/meta.js';
import { loadViews } from '../sync/local_view.js';
import { OPEN_TASK_STATES } from '../sync/record_types.js';
import { STATUS_EVENT } from '../sync/sync_engine.js';
import { t } from './i18n.js';

/** What the user is told about, by kind of news, in the order the summary names them. */
const NEWS = ['assigned', 'sent_back', 'to_decide', 'escalated'];

export class DayNotifier {
  constructor(app) {
    this.app = app;
    this.lastSyncAt = null;
    app.engine.addEventListener(STATUS_EVENT, ({ detail }) => {
      if (detail.phase !== 'idle' || !detail.lastSyncAt || detail.lastSyncAt === this.lastSyncAt) return;
      this.lastSyncAt = detail.lastSyncAt;
      this.check().catch((error) => console.warn('day notification failed', error));
    });
  }

  /** `{kind: [keys]}` of what the user's day holds now. */
  async news() {
    const user = this.app.session.user;
    if (!user) return null;
    // Loaded on the first sync, not with the shell: the first screen stays light.
    const { loadDecisions } = await import('./approvals/approval_subjects.js');
    const [data, tasks] = await Promise.all([loadDecisions(this.app), loadViews('task')]);
    return {
      assigned: tasks.filter((task) => task.fields.assignee_id === user.id && OPEN_TASK_STATES.has(task.fields.status ?? 'todo')).map((task) => `task/${task.id}`),
      sent_back: data.day.sent_back.map((entry) => `approval/${entry.id}`),
      to_decide: data.day.to_decide.map((entry) => `approval/${entry.id}`),
      escalated: data.day.escalated.map((entry) => `${entry.type}/${entry.id}`),
    };
  }

  /** Takes what is there now as told (when notifications are switched on, and on a first sync). */
  async remember() {
    const news = await this.news();
    if (news) await setMeta('day_notified', { user: this.app.session.user.id, keys: NEWS.flatMap((kind) => news[kind]) });
  }

  /** Tells what is new since last time, in one notification. */
  async check() {
    if (!('Notification' in window) || Notification.permission !== 'granted' || !('serviceWorker' in navigator)) return;
    const told = await getMeta('day_notified');
    if (!told || told.user !== this.app.session.user?.id) {
      await this.remember();
      return;
    }
    const news = await this.news();
    if (!news) return;
    const known = new Set(told.keys);
    const fresh = Object.fromEntries(NEWS.map((kind) => [kind, news[kind].filter((key) => !known.has(key))]));
    // Kept: what the day holds now, so the list never outgrows the day.
    await setMeta('day_notified', { user: told.user, keys: NEWS.flatMap((kind) => news[kind]) });
    const lines = NEWS.filter((kind) => fresh[kind].length).map((kind) => t(`notify.${kind}`, { count: fresh[kind].length }));
    if (lines.length === 0) return;
    const registration = await navigator.serviceWorker.ready;
    const url = fresh.to_decide.length || fresh.escalated.length ? '/approvals' : '/';
    await registration.showNotification(t('notify.title'), {
      body: lines.join('\n'), tag: 'gridline-day', icon: '/icons/icon-192.png', badge: '/icons/icon-96.png', data: { url },
    });
  }
}
