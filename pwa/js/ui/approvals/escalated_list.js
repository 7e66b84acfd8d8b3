/**
 * Complaints past their response deadline and actions past theirs, on the supervisor's inbox
 * until they move: what, where, how long overdue (my_day.js decides which) and, once the
 * server has recorded the escalation, since when.
 */
import { h, summaryParts, userText } from '../dom.js';
import { formatRelative, t } from '../i18n.js';
import { formatSpan } from '../components/countdown.js';
import { recordOf, subjectName, subjectSection } from './approval_subjects.js';

const DAY_MS = 86_400_000;

/** "已超时 16 小时 5 分" for a response deadline; "逾期 3 天" for a deadline date. */
export function overdueText(entry, today, now = Date.now()) {
  if (entry.reason === 'response_overdue') return t('due.overdue', { span: formatSpan(now - Date.parse(entry.due)) });
  return t('tasks.overdueDays', { count: Math.round((Date.parse(today) - Date.parse(entry.due)) / DAY_MS) });
}

/**
 * The section of what is escalated, its rows drawn by `rows` (a PagedList of EscalatedItem), or
 * null when nothing is. testids: `escalated` (the section), `escalated-list`.
 */
export function EscalatedList(data, rows) {
  const entries = data.day.escalated;
  if (entries.length === 0) return null;
  rows.show(entries);
  return h('section', { class: 'stack escalated', testid: 'escalated', 'aria-labelledby': 'heading-escalated' },
    h('h2', { id: 'heading-escalated' }, t('approvals.escalated'), h('span', { class: 'count' }, ` (${entries.length})`)),
    rows.element);
}

/** One escalated complaint or action. testids: `escalated-item` (data-type, data-id, data-reason), `escalated-overdue`, `escalated-at`. */
export function EscalatedItem(data, entry) {
  const view = recordOf(data, entry.type, entry.id);
  return h('li', {}, h('a', {
    class: 'record-item is-overdue', href: `/r/${entry.type}/${entry.id}`, testid: 'escalated-item',
    dataset: { type: entry.type, id: entry.id, reason: entry.reason },
  },
  h('span', { class: 'record-title' }, subjectName(data, view)),
  h('span', { class: 'record-summary' }, summaryParts([t(`approvals.reason.${entry.reason}`), userText(subjectSection(data, view))].filter(Boolean))),
  h('span', { class: 'record-tags' }, h('span', { class: 'chip chip-overdue', testid: 'escalated-overdue' }, overdueText(entry, data.today)),
    // The server's escalation record, when synced: when it was escalated (and reported).
    entry.escalated_at ? h('span', { class: 'chip', testid: 'escalated-at' }, t('approvals.escalatedAt', { when: formatRelative(entry.escalated_at) })) : null)));
}
