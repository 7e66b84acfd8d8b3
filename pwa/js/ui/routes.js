/**
 * The route registry: every screen, its path, and its place in the bottom navigation.
 * `nav` puts an entry in the bottom bar, `section` names the nav entry it belongs under.
 * The first matching path wins. Every screen loads on first use (`load`), so the app starts
 * with the shell only and the first screen draws after few downloads; the service worker
 * precaches them all for offline. Only the not-found screen is loaded up front: the router
 * shows it when a screen's module could not be loaded (offline before the cache was filled).
 */
import { NotFoundScreen } from './not_found_screen.js';

/** 24×24 icon paths for the navigation. */
const ICONS = {
  home: 'M12 3 2 12h3v8h5v-6h4v6h5v-8h3z',
  tasks: 'M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4zM3 3h12v2H3zm0 4h8v2H3z',
  attention: 'M1 21h22L12 2zm12-3h-2v-2h2zm0-4h-2v-4h2z',
  conflicts: 'M6.99 11 3 15l3.99 4v-3H14v-2H6.99zM21 9l-3.99-4v3H10v2h7.01v3z',
  more: 'M3 6h18v2H3zm0 5h18v2H3zm0 5h18v2H3z',
  approvals: 'M19 3h-4.2A3 3 0 0 0 12 1a3 3 0 0 0-2.8 2H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2zm-7 0a1 1 0 1 1 0 2 1 1 0 0 1 0-2zm-2 14-4-4 1.4-1.4 2.6 2.6 6.6-6.6L18 9z',
};

/** A screen class from a module loaded on first use. */
const lazy = (load, name) => () => load().then((module) => module[name]);

const Login = lazy(() => import('./account/login_screen.js'), 'LoginScreen');
const Home = lazy(() => import('./home/home_screen.js'), 'HomeScreen');
const Record = lazy(() => import('./records/record_detail_screen.js'), 'RecordDetailScreen');
const Records = lazy(() => import('./records/record_list_screen.js'), 'RecordListScreen');
const Attention = lazy(() => import('./inbox/attention_screen.js'), 'AttentionScreen');
const Conflicts = lazy(() => import('./inbox/conflicts_screen.js'), 'ConflictsScreen');
const More = lazy(() => import('./account/more_screen.js'), 'MoreScreen');
const Today = lazy(() => import('./briefing/briefing_screen.js'), 'BriefingScreen');
const Briefings = lazy(() => import('./briefing/briefing_list_screen.js'), 'BriefingListScreen');
const Sections = lazy(() => import('./sections/section_list_screen.js'), 'SectionListScreen');
const Section = lazy(() => import('./sections/section_screen.js'), 'SectionScreen');
const SectionForm = lazy(() => import('./sections/section_form_screen.js'), 'SectionFormScreen');
const Tasks = lazy(() => import('./tasks/task_list_screen.js'), 'TaskListScreen');
const TaskForm = lazy(() => import('./tasks/task_form_screen.js'), 'TaskFormScreen');
const Checks = lazy(() => import('./safety/safety_check_list_screen.js'), 'SafetyCheckListScreen');
const Check = lazy(() => import('./safety/safety_check_screen.js'), 'SafetyCheckScreen');
const CheckForm = lazy(() => import('./safety/safety_check_form_screen.js'), 'SafetyCheckFormScreen');
const Checklists = lazy(() => import('./safety/checklist_screen.js'), 'ChecklistListScreen');
const ChecklistForm = lazy(() => import('./safety/checklist_screen.js'), 'ChecklistFormScreen');
const Crew = lazy(() => import('./crew/crew_screen.js'), 'CrewScreen');
const Documents = lazy(() => import('./documents/document_list_screen.js'), 'DocumentListScreen');
const Document = lazy(() => import('./documents/document_screen.js'), 'DocumentScreen');
const Drawing = lazy(() => import('./documents/drawing_screen.js'), 'DrawingScreen');
const FeedbackList = lazy(() => import('./feedback/feedback_list_screen.js'), 'FeedbackListScreen');
const Feedback = lazy(() => import('./feedback/feedback_screen.js'), 'FeedbackScreen');
const Approvals = lazy(() => import('./approvals/approvals_screen.js'), 'ApprovalsScreen');
const Dashboard = lazy(() => import('./dashboard/dashboard_screen.js'), 'DashboardScreen');
const WorkStep = lazy(() => import('./worksteps/work_step_screen.js'), 'WorkStepScreen');
const WorkStepForm = lazy(() => import('./worksteps/work_step_form_screen.js'), 'WorkStepFormScreen');
const InspectionForm = lazy(() => import('./worksteps/inspection_form_screen.js'), 'InspectionFormScreen');
const CodeLookup = lazy(() => import('./worksteps/code_lookup_screen.js'), 'CodeLookupScreen');
const SectionTrace = lazy(() => import('./trace/section_trace_screen.js'), 'SectionTraceScreen');
const FeedbackIntake = lazy(() => import('./feedback/feedback_intake_screen.js'), 'FeedbackIntakeScreen');

export const ROUTES = [
  { name: 'login', path: '/login', load: Login, public: true, chrome: false },
  { name: 'home', path: '/', load: Home, nav: { order: 10, labelKey: 'nav.home', icon: ICONS.home } },
  { name: 'today', path: '/today', load: Today, section: 'home' },
  { name: 'briefings', path: '/briefings', load: Briefings, section: 'home' },
  { name: 'briefing', path: '/r/briefing/:id', load: Today, section: 'home' },
  {
    name: 'tasks', path: '/tasks', load: Tasks, params: { type: 'task' },
    nav: { order: 20, labelKey: 'nav.tasks', icon: ICONS.tasks },
  },
  { name: 'task-new', path: '/tasks/new', load: TaskForm, section: 'tasks' },
  { name: 'task-edit', path: '/r/task/:id/edit', load: TaskForm, section: 'tasks' },
  { name: 'sections', path: '/sections', load: Sections, section: 'home' },
  { name: 'section-new', path: '/sections/new', load: SectionForm, section: 'home' },
  { name: 'section-edit', path: '/r/section/:id/edit', load: SectionForm, section: 'home' },
  { name: 'section-trace', path: '/r/section/:id/trace', load: SectionTrace, section: 'home' },
  { name: 'section', path: '/r/section/:id', load: Section, section: 'home' },
  { name: 'work-step-new', path: '/work-steps/new', load: WorkStepForm, section: 'home' },
  { name: 'work-step-edit', path: '/r/work_step/:id/edit', load: WorkStepForm, section: 'home' },
  { name: 'inspection-new', path: '/r/work_step/:id/inspect', load: InspectionForm, section: 'home' },
  { name: 'work-step', path: '/r/work_step/:id', load: WorkStep, section: 'home' },
  { name: 'scan', path: '/scan', load: CodeLookup, section: 'home' },
  { name: 'crew', path: '/crew', load: Crew, section: 'home' },
  { name: 'dashboard', path: '/dashboard', load: Dashboard, section: 'home' },
  { name: 'checks', path: '/checks', load: Checks, section: 'home' },
  { name: 'check-new', path: '/checks/new', load: CheckForm, section: 'home' },
  { name: 'check-edit', path: '/r/safety_check/:id/edit', load: CheckForm, section: 'home' },
  { name: 'check', path: '/r/safety_check/:id', load: Check, section: 'home' },
  { name: 'checklists', path: '/checklists', load: Checklists, section: 'more' },
  { name: 'checklist-new', path: '/checklists/new', load: ChecklistForm, section: 'more' },
  { name: 'feedback-list', path: '/feedback', load: FeedbackList, section: 'home' },
  { name: 'feedback-new', path: '/feedback/new', load: FeedbackIntake, section: 'home' },
  { name: 'feedback', path: '/r/feedback/:id', load: Feedback, section: 'home' },
  { name: 'documents', path: '/documents', load: Documents, section: 'home' },
  { name: 'document', path: '/r/document/:id', load: Document, section: 'home' },
  { name: 'drawing', path: '/r/document_version/:id', load: Drawing, section: 'home' },
  { name: 'record', path: '/r/:type/:id', load: Record },
  { name: 'records', path: '/records/:type', load: Records, section: 'more' },
  {
    name: 'approvals', path: '/approvals', load: Approvals,
    // Shown to those who decide approvals (the permission table says who), with the count waiting.
    nav: { order: 25, labelKey: 'nav.approvals', icon: ICONS.approvals, badge: 'approvals', decidersOnly: true },
  },
  {
    name: 'attention', path: '/attention', load: Attention,
    nav: { order: 30, labelKey: 'nav.attention', icon: ICONS.attention, badge: 'rejected' },
  },
  {
    name: 'conflicts', path: '/conflicts', load: Conflicts,
    nav: { order: 40, labelKey: 'nav.conflicts', icon: ICONS.conflicts, badge: 'conflicts' },
  },
  { name: 'more', path: '/more', load: More, nav: { order: 50, labelKey: 'nav.more', icon: ICONS.more } },
  { name: 'not-found', path: '/not-found', screen: NotFoundScreen },
];
