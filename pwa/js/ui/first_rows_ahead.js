/**
 * First rows worked out ahead. A list keeps the rows it showed first when it is drawn whole
 * (components/early_rows.js), so that on a fresh start it draws them at once while the whole type
 * is read. A list never opened on this phone has none, and its first visit waited for all its
 * records: about 1.3 s for 10,000 complaints on a cheap phone, and more the larger the project.
 *
 * So after a sync has brought records, once the phone is idle, each main list that has no first
 * rows kept gets them worked out, with the list's own filter and order, and kept as the list
 * would keep them. One list per idle moment, and only once the screen has been left alone for a
 * moment; a list drawn since keeps its own, and none is worked out twice.
 */
import { readFirstPage } from '../db/first_pages.js';
import { loadViewList } from '../sync/local_view.js';
import { STATUS_EVENT } from '../sync/sync_engine.js';
import { keepFirstRows } from './components/early_rows.js';
import { localToday } from './home/home_sections.js';

/** The lists opened from home and the tab bar, at their default filter: address, type, first rows. */
const LISTS = [
  {
    address: '/tasks', type: 'task', shown: async (views) => {
      const [{ sortedList }, { overdueFirst }] = await Promise.all([
        import('./records/record_list_screen.js'), import('./tasks/task_list_screen.js')]);
      return overdueFirst([...sortedList(views, 'task')], localToday());
    },
  },
  {
    address: '/feedback', type: 'feedback',
    shown: async (views) => (await import('./feedback/feedback_list_screen.js')).complaintsShown(views, 'open'),
  },
  {
    address: '/checks', type: 'safety_check',
    shown: async (views) => (await import('./safety/safety_check_list_screen.js')).checksShown(views, 'open'),
  },
  ...['action', 'work_step'].map((type) => ({
    address: `/records/${type}`, type,
    shown: async (views) => (await import('./records/record_list_screen.js')).sortedList(views, type),
  })),
  {
    address: '/documents', type: 'document',
    shown: async (views, app) => (await import('./documents/document_list_screen.js'))
      .documentsInOrder(views, app.session.memberships[0]?.project_id),
  },
];

// A moment after the sync ends, so the taps that usually follow it come first.
const AFTER_SYNC_MS = 2000;
// How long the user must have left the screen alone before a list is worked out.
const QUIET_MS = 2000;

let lastInput = 0;
for (const kind of ['pointerdown', 'keydown']) {
  addEventListener(kind, () => { lastInput = Date.now(); }, { capture: true, passive: true });
}

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/**
 * Waits until nobody has touched the screen or typed for QUIET_MS, then for a moment the page
 * is idle (where the browser can tell): the work never stands in the way of a tap.
 */
async function quietMoment() {
  for (let quiet = Date.now() - lastInput; quiet < QUIET_MS; quiet = Date.now() - lastInput) await sleep(QUIET_MS - quiet);
  await new Promise((resolve) => {
    if ('requestIdleCallback' in globalThis) requestIdleCallback(resolve, { timeout: 2000 });
    else setTimeout(resolve, 200);
  });
}

export class FirstRowsAhead {
  constructor(app) {
    this.app = app;
    this.lastSyncAt = null;
    this.running = null;
    app.engine.addEventListener(STATUS_EVENT, ({ detail }) => this.afterSync(detail));
    this.afterSync(app.engine.status);
  }

  /** After a sync that ended (a new time of the last sync), unless a run is under way. */
  afterSync(status) {
    if (status.phase !== 'idle' || !status.lastSyncAt || status.lastSyncAt === this.lastSyncAt) return;
    this.lastSyncAt = status.lastSyncAt;
    this.running ??= this.run()
      .catch((error) => console.warn('first rows ahead failed', error))
      .finally(() => { this.running = null; });
  }

  /** Works out the first rows of each list that has none kept, one list per idle moment. */
  async run() {
    await sleep(AFTER_SYNC_MS);
    for (const list of LISTS) {
      if (!this.app.session.isLoggedIn) return;
      if (await readFirstPage(list.address)) continue;
      await quietMoment();
      const views = await loadViewList(list.type);
      if (!views.length || await readFirstPage(list.address)) continue;
      keepFirstRows(list.address, await list.shown(views, this.app));
    }
  }
}
