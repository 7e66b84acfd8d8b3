/**
 * The schedule as a Gantt chart: one row per planned task, grouped by section; the planned span
 * light, the actual span dark (to today while work goes on), the critical path outlined in red,
 * dependencies as lines from a task's end to the start of what waits for it.
 *
 * A large schedule is drawn a page of rows at a time (`GANTT_ROWS`, then as many more on "Show
 * more"), its table the same rows; the time axis always spans every planned task, so the bars
 * drawn first keep their place as more are drawn.
 */
import { h, userList, userText } from '../dom.js';
import { formatDate, t, tNodes } from '../i18n.js';
import { sortedByKey } from '../../sync/local_view.js';
import { sectionLabel } from '../sections/site_facts.js';
import { ChartFigure, NumbersTable, deviationText, fitText, s, tappable } from './chart_parts.js';
import { dateMs, taskDeviation, tasksBySection } from './figures.js';

const DAY = 86_400_000;
const WIDTH = 340;
const LABEL_HEIGHT = 15;
const BAR_HEIGHT = 12;
const ROW = LABEL_HEIGHT + BAR_HEIGHT + 9;
const HEAD = 20;
const SECTION_HEAD = 20;
// The font sizes of .gantt-section and .gantt-label (css/app.css), for cutting names to the width.
const SECTION_SIZE = 12;
const LABEL_SIZE = 11;
/** Task rows drawn at first, and added by each "Show more". */
export const GANTT_ROWS = 60;

/** The actual span of a task: [start, end] (end today while it runs), or null before it starts. */
function actualSpan(fields, today) {
  if (!fields.actual_start) return null;
  const finished = ['done', 'accepted'].includes(fields.status);
  return [fields.actual_start, finished ? (fields.actual_end ?? today) : today];
}

/**
 * `rows`: how many task rows to draw (a redraw of the dashboard keeps what "Show more" drew);
 * `onMore(rows)` hears each "Show more".
 */
export function GanttChart({ sections, tasks, critical, today, rows: firstRows = GANTT_ROWS, onMore = () => {} }) {
  const planned = tasks.filter((task) => task.fields.planned_start && task.fields.planned_end);
  if (planned.length === 0) return h('p', { class: 'empty', testid: 'gantt-empty' }, t('dashboard.noPlan'));
  const onPath = new Set(critical.ids);
  const title = new Map(tasks.map((task) => [task.id, task.fields.title ?? '']));
  const bySection = tasksBySection(sections, planned);
  const groups = [...sections, null].map((section) => ({
    section,
    tasks: sortedByKey(bySection.get(section?.id ?? null), (task) => task.fields.planned_start),
  })).filter((group) => group.tasks.length);
  // A loop, not Math.min(...dates): a spread of every date overflows the stack on a large plan.
  let first = Infinity;
  let last = -Infinity;
  for (const task of planned) {
    for (const date of [task.fields.planned_start, task.fields.planned_end, ...(actualSpan(task.fields, today) ?? [])]) {
      const at = dateMs(date);
      if (at < first) first = at;
      if (at > last) last = at;
    }
  }
  last += DAY;
  const x = (date) => ((dateMs(date) - first) / (last - first)) * WIDTH;
  const span = (a, b) => Math.max(x(b) + (WIDTH * DAY) / (last - first) - x(a), 2);

  // Nodes, not one string: the titles are what people typed and stay marked as such.
  const describe = (task) => {
    const f = task.fields;
    const actual = actualSpan(f, today);
    const after = (f.depends_on ?? []).map((id) => title.get(id)).filter(Boolean);
    const parts = [
      userText(f.title),
      t('dashboard.planBar', { start: formatDate(f.planned_start), end: formatDate(f.planned_end) }),
      actual ? t('dashboard.actualBar', { start: formatDate(actual[0]), end: formatDate(actual[1]) }) : t('dashboard.notStarted'),
      deviationText(taskDeviation(f, today)),
      onPath.has(task.id) ? t('dashboard.onCritical') : null,
      after.length ? h('span', {}, tNodes('dashboard.after', { names: h('span', {}, userList(after, '、')) })) : null,
    ].filter(Boolean);
    return parts.flatMap((part, index) => [index ? '，' : null, part]).filter((part) => part != null);
  };

  const draw = (say, limit) => {
    let y = HEAD;
    let left = limit;
    const rows = [];
    const ends = new Map();
    const starts = new Map();
    const drawn = [];
    for (const group of groups) {
      if (left <= 0) break;
      // A long name is cut with an ellipsis; a tap (or the title) gives it whole.
      const name = group.section ? sectionLabel(group.section) : '—';
      const shown = fitText(name, WIDTH, SECTION_SIZE);
      const heading = s('text', { x: 0, y: y + 13, class: 'gantt-section', testid: 'gantt-section', 'data-user': group.section ? '' : null, 'data-cut': String(shown.cut) }, shown.text);
      rows.push(group.section ? tappable(heading, say, userText(name)) : heading);
      y += SECTION_HEAD;
      for (const task of group.tasks.slice(0, left)) {
        const f = task.fields;
        const barY = y + LABEL_HEIGHT;
        const actual = actualSpan(f, today);
        const critical = onPath.has(task.id);
        ends.set(task.id, [x(f.planned_end) + span(f.planned_end, f.planned_end), barY + BAR_HEIGHT / 2]);
        starts.set(task.id, [x(f.planned_start), barY + BAR_HEIGHT / 2]);
        drawn.push(task);
        rows.push(tappable(s('g', { class: `gantt-row${critical ? ' gantt-critical' : ''}`, testid: 'gantt-row', 'data-id': task.id, 'data-critical': String(critical) },
          s('rect', { x: 0, y, width: WIDTH, height: ROW - 2, class: 'gantt-hit' }),
          s('text', { x: 0, y: y + 12, class: 'gantt-label', 'data-user': '' }, fitText(f.title, WIDTH, LABEL_SIZE).text),
          s('rect', { x: x(f.planned_start), y: barY, width: span(f.planned_start, f.planned_end), height: BAR_HEIGHT, rx: 2, class: 'gantt-plan' }),
          actual ? s('rect', { x: x(actual[0]), y: barY + 3, width: span(actual[0], actual[1]), height: BAR_HEIGHT - 6, rx: 1, class: 'gantt-actual' }) : null),
        say, describe(task)));
        y += ROW;
      }
      left -= group.tasks.length;
    }
    // Links between drawn rows only.
    const links = drawn.flatMap((task) => (task.fields.depends_on ?? []).filter((id) => ends.has(id)).map((id) => {
      const [x1, y1] = ends.get(id);
      const [x2, y2] = starts.get(task.id);
      const critical = onPath.has(id) && onPath.has(task.id);
      return s('path', { d: `M${x1} ${y1} H${Math.max(x1, x2) + 3} V${y2}`, class: `gantt-link${critical ? ' gantt-link-critical' : ''}` });
    }));
    const todayX = x(today);
    const axis = [
      s('text', { x: 0, y: 12, class: 'gantt-axis' }, formatDate(new Date(first).toISOString().slice(0, 10), 'short')),
      s('text', { x: WIDTH, y: 12, class: 'gantt-axis', 'text-anchor': 'end' }, formatDate(new Date(last - DAY).toISOString().slice(0, 10), 'short')),
      todayX >= 0 && todayX <= WIDTH ? s('line', { x1: todayX, x2: todayX, y1: HEAD - 4, y2: y, class: 'gantt-today' }) : null,
    ];
    return s('svg', { viewBox: `0 0 ${WIDTH} ${y}`, width: '100%' }, axis, rows, links);
  };

  const ordered = groups.flatMap((group) => group.tasks);
  const build = (limit) => {
    const table = NumbersTable(
      [t('field.title'), t('dashboard.planned'), t('dashboard.actual'), t('report.deviationDays')],
      ordered.slice(0, limit).map((task) => {
        const actual = actualSpan(task.fields, today);
        return [
          [userText(task.fields.title), onPath.has(task.id) ? ` (${t('dashboard.onCritical')})` : null],
          `${formatDate(task.fields.planned_start)} – ${formatDate(task.fields.planned_end)}`,
          actual ? `${formatDate(actual[0])} – ${formatDate(actual[1])}` : t('dashboard.notStarted'),
          deviationText(taskDeviation(task.fields, today)),
        ];
      }), 'gantt-table');
    const left = ordered.length - Math.min(limit, ordered.length);
    const more = left > 0 ? h('button', {
      type: 'button', class: 'button button-block', testid: 'gantt-more',
      onclick: () => {
        const next = build(limit + GANTT_ROWS);
        figure.replaceWith(next);
        next.querySelector('[data-testid=gantt-more]')?.focus();
        onMore(limit + GANTT_ROWS);
      },
    }, t('list.more', { left })) : null;
    const figure = ChartFigure({ testid: 'gantt', label: t('dashboard.gantt'), draw: (say) => draw(say, limit), table, more });
    figure.dataset.rows = String(ordered.length); // every planned task, drawn or not
    return figure;
  };
  return build(Math.max(firstRows, GANTT_ROWS));
}
