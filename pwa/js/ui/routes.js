/**
 * The route registry: every screen, its path, and its place in the bottom navigation.
 * Field screens add an entry here; `nav` puts one in the bottom bar, `section` names the
 * nav entry it belongs under. The first matching path wins.
 */
import { AttentionScreen } from './attention_screen.js';
import { ConflictsScreen } from './conflicts_screen.js';
import { HomeScreen } from './home_screen.js';
import { LoginScreen } from './login_screen.js';
import { MoreScreen } from './more_screen.js';
import { NotFoundScreen } from './not_found_screen.js';
import { RecordDetailScreen } from './record_detail_screen.js';
import { RecordListScreen } from './record_list_screen.js';
import { TaskFormScreen } from './task_form_screen.js';

/** 24×24 icon paths for the navigation. */
const ICONS = {
  home: 'M12 3 2 12h3v8h5v-6h4v6h5v-8h3z',
  tasks: 'M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4zM3 3h12v2H3zm0 4h8v2H3z',
  attention: 'M1 21h22L12 2zm12-3h-2v-2h2zm0-4h-2v-4h2z',
  conflicts: 'M6.99 11 3 15l3.99 4v-3H14v-2H6.99zM21 9l-3.99-4v3H10v2h7.01v3z',
  more: 'M3 6h18v2H3zm0 5h18v2H3zm0 5h18v2H3z',
};

export const ROUTES = [
  { name: 'login', path: '/login', screen: LoginScreen, public: true, chrome: false },
  { name: 'home', path: '/', screen: HomeScreen, nav: { order: 10, labelKey: 'nav.home', icon: ICONS.home } },
  {
    name: 'tasks', path: '/tasks', screen: RecordListScreen, params: { type: 'task' },
    nav: { order: 20, labelKey: 'nav.tasks', icon: ICONS.tasks },
  },
  { name: 'task-new', path: '/tasks/new', screen: TaskFormScreen, section: 'tasks' },
  { name: 'task-edit', path: '/r/task/:id/edit', screen: TaskFormScreen, section: 'tasks' },
  { name: 'record', path: '/r/:type/:id', screen: RecordDetailScreen },
  { name: 'records', path: '/records/:type', screen: RecordListScreen, section: 'more' },
  {
    name: 'attention', path: '/attention', screen: AttentionScreen,
    nav: { order: 30, labelKey: 'nav.attention', icon: ICONS.attention, badge: 'rejected' },
  },
  {
    name: 'conflicts', path: '/conflicts', screen: ConflictsScreen,
    nav: { order: 40, labelKey: 'nav.conflicts', icon: ICONS.conflicts, badge: 'conflicts' },
  },
  { name: 'more', path: '/more', screen: MoreScreen, nav: { order: 50, labelKey: 'nav.more', icon: ICONS.more } },
  { name: 'not-found', path: '/not-found', screen: NotFoundScreen },
];
