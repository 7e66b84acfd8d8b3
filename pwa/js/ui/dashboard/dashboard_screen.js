/**
 * The dashboard: the site's figures worked out on the phone from what it has synced (so it works
 * offline), drawn as charts each with its numbers behind a tap and in a table: schedule, progress
 * by section, open risks, safety, residents, quality. The report buttons ask the server for the PDF.
 */
import { derivedFrom, filteredViews, keeper, loadViewList } from '../../sync/local_view.js';
import { loadProjectSettings } from '../../sync/project_settings.js';
import { h } from '../dom.js';
import { currentLocale, t } from '../i18n.js';
import { localToday } from '../home/home_sections.js';
import { Screen } from '../screen.js';
import { byCode } from '../sections/site_facts.js';
import { number } from './chart_parts.js';
import { dashboardFigures } from './figures.js';
import { GANTT_ROWS, GanttChart } from './gantt_chart.js';
import { PassRateChart } from './pass_rate_chart.js';
import { ProgressTiles } from './progress_tiles.js';
import { QualityPanel } from './quality_panel.js';
import { ReportDownload } from './report_download.js';
import { ResidentsPanel } from './residents_panel.js';
import { RiskMap } from './risk_map.js';
import { RiskMatrix } from './risk_matrix.js';
import { StatTiles } from './stat_tiles.js';

// The lists the figures read, by their name there: the record type each is read from.
const LISTS = { sections: 'section', tasks: 'task', checks: 'safety_check', actions: 'action', feedback: 'feedback',
  work_steps: 'work_step', inspections: 'inspection' };

function Part(id, title, ...children) {
  return h('section', { class: 'dashboard-part stack', testid: `dashboard-${id}`, 'aria-labelledby': `dashboard-${id}-title` },
    h('h2', { id: `dashboard-${id}-title` }, title), ...children);
}

export class DashboardScreen extends Screen {
  constructor(...args) {
    super(...args);
    // Each figure is worked out again only when a list it reads changed or the date did, so a
    // change to one task leaves the safety, residents' and quality figures as they were.
    this.keep = keeper();
    this.ganttRows = GANTT_ROWS; // the Gantt's rows drawn; a redraw keeps what "Show more" added
    this.refreshOn('records');
  }

  async render() {
    const membership = this.app.session.memberships[0];
    const projectId = membership?.project_id;
    const [settings, ...lists] = await Promise.all([projectId ? loadProjectSettings(this.app.api, projectId) : {},
      ...Object.values(LISTS).map((type) => loadViewList(type))]);
    const mine = (view) => !projectId || !view.fields.project_id || view.fields.project_id === projectId;
    // The shared lists, each filtered to the project once per list (and, after a change to a few
    // records, patched with those alone).
    const records = Object.fromEntries(Object.keys(LISTS).map((name, i) => [name, filteredViews(lists[i], `project ${projectId}`, mine)]));
    records.sections = derivedFrom(records.sections, 'by code', () => [...records.sections].sort(byCode));
    const today = localToday();
    const figures = dashboardFigures(records, today, new Date().toISOString(), settings.satisfaction_target, this.keep);
    this.show(
      h('header', { class: 'screen-header' },
        h('h1', { tabindex: '-1' }, t('dashboard.title')),
        h('p', { class: 'muted', testid: 'dashboard-note' }, t('dashboard.offlineNote'))),
      projectId ? h('div', { class: 'report-buttons' },
        ReportDownload(this.app, { projectId, projectCode: membership.project_code, date: today, period: 'day' }),
        ReportDownload(this.app, { projectId, projectCode: membership.project_code, date: today, period: 'week' })) : null,
      Part('schedule', t('dashboard.schedule'),
        h('p', { class: 'critical-line', testid: 'critical-path', dataset: { days: String(figures.critical_path.days), ids: figures.critical_path.ids.join(' ') } },
          t('dashboard.criticalPath', { days: figures.critical_path.days })),
        this.gantt(records, figures, today)),
      // Each part is drawn again only when a figure it shows changed (or the language did).
      this.part('progress', [figures.progress, records.sections], () => Part('progress', t('dashboard.progress'),
        ProgressTiles({ rows: figures.progress, sections: records.sections }))),
      this.part('risk', [figures.risk_matrix, figures.worst_risk, records.sections], () => Part('risk', t('dashboard.risk'),
        RiskMatrix({ matrix: figures.risk_matrix }),
        h('h3', {}, t('dashboard.riskMap')),
        RiskMap({ sections: records.sections, worst: figures.worst_risk }))),
      this.part('safety', [figures.actions, figures.pass_rate], () => Part('safety', t('dashboard.safety'),
        StatTiles([
          { label: t('dashboard.actionsOpen'), value: String(figures.actions.open), testid: 'stat-actions-open' },
          { label: t('dashboard.actionsOverdue'), value: String(figures.actions.overdue), testid: 'stat-actions-overdue', warn: figures.actions.overdue > 0 },
          { label: t('dashboard.medianVerify'), value: number(figures.actions.median_days_to_verify), testid: 'stat-verify-days' },
        ]),
        PassRateChart({ weeks: figures.pass_rate }))),
      this.part('residents', [figures.complaints, figures.residents], () => Part('residents', t('dashboard.residents'),
        ResidentsPanel({ complaints: figures.complaints, residents: figures.residents }))),
      this.part('quality', [figures.quality], () => Part('quality', t('dashboard.quality'), QualityPanel({ quality: figures.quality }))));
  }

  /** A part of the dashboard, the one drawn last while the figures it shows are the same objects. */
  part(name, figures, draw) {
    return this.keep(`part ${name}`, [...figures, currentLocale()], draw);
  }

  /**
   * The Gantt, drawn again only when what it shows changed: a change to a task's progress, say,
   * leaves its rows as they were, and the chart drawn last (with its caption) stays.
   */
  gantt(records, figures, today) {
    return this.keep('gantt', [records.sections, records.tasks, figures.critical_path, today, this.ganttRows, currentLocale()],
      () => GanttChart({ sections: records.sections, tasks: records.tasks, critical: figures.critical_path, today,
        rows: this.ganttRows, onMore: (rows) => { this.ganttRows = rows; } }),
      (kept, [sections, tasks, ...others]) => (!sections && !others.some(Boolean)
        && tasks.every(([before, after]) => shownOnGantt(before) === shownOnGantt(after)) ? kept : undefined));
  }
}

/** What the Gantt shows of a task (its row, its table line, the names of what waits for it). */
function shownOnGantt(task) {
  if (!task) return null;
  const f = task.fields;
  return JSON.stringify([f.title, f.section_id, f.planned_start, f.planned_end, f.actual_start, f.actual_end, f.status, f.depends_on]);
}
