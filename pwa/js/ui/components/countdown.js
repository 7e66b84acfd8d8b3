/** How long until a deadline (or how long past it), in words a liaison reads at a glance. */
import { h } from '../dom.js';
import { currentLocale, dateFormatter, formatDateTime, t } from '../i18n.js';

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

/** A deadline as short as it can be read: "Nov 23, 11:29 PM" / "11月23日 23:29" (the year only when it is not this one). */
export function formatDeadline(iso, now = Date.now()) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso ?? '';
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  const locale = currentLocale();
  return dateFormatter({
    year: sameYear ? undefined : 'numeric', month: 'short', day: 'numeric',
    hour: locale === 'en' ? 'numeric' : '2-digit', minute: '2-digit', // 11:29 PM; 00:16, as clocks in China show it
  }).format(date);
}

/** Whether an ISO deadline has passed (false without one): for filtering and counting many, without the words. */
export function isPastDue(iso, now = Date.now()) {
  return Date.parse(iso ?? '') < now;
}

/** `{overdue, text}` for an ISO deadline, or null without one. */
export function dueState(iso, now = Date.now()) {
  const due = Date.parse(iso ?? '');
  if (Number.isNaN(due)) return null;
  const left = due - now;
  return { overdue: left < 0, text: left < 0 ? t('due.overdue', { span: formatSpan(left) }) : t('due.left', { span: formatSpan(left) }) };
}

/**
 * A chip with the time left to answer (red once overdue); `done` shows the deadline itself, short,
 * without counting. The full date and time is the chip's title.
 */
export function DueChip(iso, { done = false, testid = 'feedback-due' } = {}) {
  const state = dueState(iso);
  if (!state) return null;
  if (done) {
    return h('span', { class: 'chip', testid, dataset: { overdue: 'false' }, title: formatDateTime(iso) },
      t('due.was', { when: formatDeadline(iso) }));
  }
  return h('span', {
    class: `chip ${state.overdue ? 'chip-overdue' : 'chip-due'}`, testid, dataset: { overdue: String(state.overdue) },
    title: formatDateTime(iso),
  }, state.text);
}

/** The deadline in words beside a counting chip ("due Nov 23, 11:29 PM"); null without one. */
export function DueTime(iso, { testid = 'feedback-due-at' } = {}) {
  if (!dueState(iso)) return null;
  return h('span', { class: 'due-at', testid }, t('due.at', { when: formatDeadline(iso) }));
}
