/**
 * What a foreman's morning briefing starts from: his sections' open and overdue tasks, the
 * previous briefing's risk points, failed checks not closed, and open complaints.
 */
import { itemText, templateOf } from '../safety/checklist_text.js';
import { formatDate, t } from '../i18n.js';
import { failedItems, isOpenFailedCheck, isOpenFeedback, isOpenTask, isOverdue } from '../sections/site_facts.js';

const MAX_TEXT = 4000; // the server's limit for key_tasks and risk_points
const MAX_LINES = 12;
const MAX_NOTE = 120; // an item's note, on its one line

/** Sections the user answers for (`owner_id`), in one project. */
export function sectionsOf(site, userId, projectId) {
  return site.sections.filter((section) => section.fields.owner_id === userId && section.fields.project_id === projectId);
}

/**
 * `{sectionIds, tasks, overdue, previous, failed, complaints, keyTasks, riskPoints}`: the lists for the
 * summary and the text the briefing's fields start with. `failed` holds `{check, code, text, note}` per failed
 * item (`text`: section and item; `note`: what the checker wrote on the item, or '').
 */
export function briefingPrefill(site, templates, { sections, today, isMine }) {
  const ids = new Set(sections.map((section) => section.id));
  const code = new Map(site.sections.map((section) => [section.id, section.fields.code]));
  const inMine = (view) => ids.has(view.fields.section_id);
  const tag = (view) => (code.get(view.fields.section_id) ? `[${code.get(view.fields.section_id)}] ` : '');

  const tasks = site.tasks.filter((task) => inMine(task) && isOpenTask(task))
    .sort((a, b) => Number(isOverdue(b, today)) - Number(isOverdue(a, today))
      || String(a.fields.due_date ?? '9999').localeCompare(String(b.fields.due_date ?? '9999')));
  const overdue = tasks.filter((task) => isOverdue(task, today));
  const previous = site.briefings
    .filter((briefing) => briefing.fields.date < today && isMine(briefing))
    .sort((a, b) => String(b.fields.date).localeCompare(String(a.fields.date)))[0] ?? null;
  const failed = site.checks.filter((check) => inMine(check) && isOpenFailedCheck(check)).flatMap((check) => {
    const items = templateOf(check, templates)?.fields.items ?? [];
    return failedItems(check).map((itemCode) => {
      const item = items.find((candidate) => candidate.code === itemCode);
      const note = oneLine(check.fields.item_notes?.[itemCode], MAX_NOTE);
      return { check, code: itemCode, text: `${tag(check)}${item ? itemText(item) : itemCode}`, note };
    });
  });
  const complaints = site.feedback.filter((item) => inMine(item) && isOpenFeedback(item));

  const taskLines = tasks.slice(0, MAX_LINES).map((task, i) => {
    const due = task.fields.due_date ? (isOverdue(task, today)
      ? t('briefing.lineOverdue', { date: formatDate(task.fields.due_date) })
      : t('briefing.lineDue', { date: formatDate(task.fields.due_date) })) : '';
    return `${i + 1}. ${tag(task)}${task.fields.title ?? ''}${due}`;
  });
  const complaintLines = complaints.slice(0, MAX_LINES).map((item) =>
    `- ${tag(item)}${t('briefing.complaintLine', { category: t(`category.${item.fields.category}`), text: oneLine(item.fields.description) })}`);
  const keyTasks = [
    ...taskLines,
    ...(complaintLines.length ? [t('briefing.complaintsHeading'), ...complaintLines] : []),
  ].join('\n');
  const riskPoints = [
    ...(previous?.fields.risk_points ? [t('briefing.previousRisks', { date: formatDate(previous.fields.date) }), previous.fields.risk_points] : []),
    ...(failed.length ? [t('briefing.failedHeading'), ...failed.slice(0, MAX_LINES).map((entry) =>
      `- ${entry.note ? t('briefing.failedItemNote', { item: entry.text, note: entry.note }) : entry.text}`)] : []),
  ].join('\n');
  return {
    sectionIds: [...ids], tasks, overdue, previous, failed, complaints,
    keyTasks: keyTasks.slice(0, MAX_TEXT), riskPoints: riskPoints.slice(0, MAX_TEXT),
  };
}

function oneLine(text, max = 60) {
  const flat = String(text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
