/** How long until a deadline (or how long past it), in words a liaison reads at a glance. */
import { h } from './dom.js';
import { formatDateTime, t } from './i18n.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "2 d 4 h", "3 h 20 min", "12 min" in the UI language. */
export function formatSpan(ms) {
  const span = Math.abs(ms);
  if (span >= DAY) return t('span.daysHours', { days: Math.floor(span / DAY), hours: Math.floor((span % DAY) / HOUR) });
  if (span >= HOUR) return t('span.hoursMinutes', { hours: Math.floor(span / HOUR), minutes: Math.floor((span % HOUR) / MINUTE) });
  return t('span.minutes', { minutes: Math.max(1, Math.floor(span / MINUTE)) });
}

/** `{overdue, text}` for an ISO deadline, or null without one. */
export function dueState(iso, now = Date.now()) {
  const due = Date.parse(iso ?? '');
  if (Number.isNaN(due)) return null;
  const left = due - now;
  return { overdue: left < 0, text: left < 0 ? t('due.overdue', { span: formatSpan(left) }) : t('due.left', { span: formatSpan(left) }) };
}

/** A chip with the time left to answer (red once overdue); `done` shows the deadline without counting. */
export function DueChip(iso, { done = false, testid = 'feedback-due' } = {}) {
  const state = dueState(iso);
  if (!state) return null;
  if (done) return h('span', { class: 'chip', testid, dataset: { overdue: 'false' } }, t('due.was', { when: formatDateTime(iso) }));
  return h('span', {
    class: `chip ${state.overdue ? 'chip-overdue' : 'chip-due'}`, testid, dataset: { overdue: String(state.overdue) },
    title: formatDateTime(iso),
  }, state.text);
}
