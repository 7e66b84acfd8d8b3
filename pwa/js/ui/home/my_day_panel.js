/**
 * "My day" at the top of home, for every role: what was sent back to me (who, why, their
 * photos, and the way to fix it), what was accepted, what is overdue and due today, and the
 * approvals and escalations waiting for me. The rules are sync/my_day.js's, over the phone's data.
 */
import { h, userText } from '../dom.js';
import { t, tNodes } from '../i18n.js';
import { NotificationPrompt } from '../components/notification_prompt.js';
import { PhotoStrip } from '../components/photo_strip.js';
import { RecordListItem } from '../components/record_list_item.js';
import { recordOf, subjectName, subjectOf } from '../approvals/approval_subjects.js';

const LIMIT = 8;

/**
 * `data` from loadDecisions; `strips` keeps photo strips across redraws (the screen destroys
 * them); `arriving`: the phone has not finished its first sync, so "nothing due" says so far.
 * testids: `my-day`, `my-day-to-decide`, `my-day-escalated`, `sent-back-item` (data-id,
 * data-subject), `sent-back-reason`, `sent-back-photos`, `sent-back-fix`, `my-day-accepted`, `accepted-item`,
 * `my-day-overdue`, `my-day-due-today`, `my-day-nothing` (data-arriving).
 */
export function MyDayPanel(app, data, strips, { arriving = false } = {}) {
  const { day, nameOf } = data;
  const decider = (approval) => (nameOf(approval.updatedBy) ? userText(nameOf(approval.updatedBy)) : t('myDay.decider'));
  const views = (entries) => entries.map((entry) => recordOf(data, entry.type, entry.id)).filter(Boolean);
  // The first few of a bucket, with how many there are: a busy week never crowds out the rest of the day.
  const list = (key, testid, entries, drawRow = (view) => RecordListItem(view, nameOf), listClass = 'record-list') => (entries.length
    ? h('section', { class: 'stack', testid, 'aria-labelledby': `heading-${testid}` },
      h('h3', { id: `heading-${testid}` }, t(key), h('span', { class: 'count' }, ` (${entries.length})`)),
      h('ul', { class: listClass }, views(entries).slice(0, LIMIT).map(drawRow)))
    : null);
  const acceptedItem = (approval) => {
    const subject = subjectOf(data, approval);
    return h('li', { testid: 'accepted-item', dataset: { id: approval.id } },
      h('a', { class: 'record-item', href: subject ? `/r/${subject.type}/${subject.id}` : `/r/approval/${approval.id}` },
        h('span', { class: 'record-title' }, subjectName(data, subject)),
        h('span', { class: 'record-tags' }, h('span', { class: 'chip chip-approved' }, tNodes('myDay.acceptedBy', { name: decider(approval) })))));
  };
  const quiet = !day.overdue.length && !day.due_today.length && !day.sent_back.length;
  return h('section', { class: 'home-section my-day stack', testid: 'my-day', 'aria-labelledby': 'heading-my-day' },
    h('h2', { id: 'heading-my-day' }, t('myDay.title')),
    day.to_decide.length || day.escalated.length ? h('p', { class: 'my-day-links' },
      day.to_decide.length ? h('a', { class: 'button button-primary', href: '/approvals', testid: 'my-day-to-decide', dataset: { count: String(day.to_decide.length) } },
        t('myDay.toDecide', { count: day.to_decide.length })) : null,
      day.escalated.length ? h('a', { class: 'button button-danger', href: '/approvals', testid: 'my-day-escalated', dataset: { count: String(day.escalated.length) } },
        t('myDay.escalated', { count: day.escalated.length })) : null) : null,
    list('myDay.sentBack', 'my-day-sent-back', day.sent_back, (approval) => SentBackCard(app, data, approval, decider(approval), strips), 'card-list'),
    list('myDay.accepted', 'my-day-accepted', day.accepted, acceptedItem),
    list('myDay.overdue', 'my-day-overdue', day.overdue),
    list('myDay.dueToday', 'my-day-due-today', day.due_today),
    quiet ? h('p', { class: 'empty', testid: 'my-day-nothing', dataset: { arriving: String(arriving) } },
      t(arriving ? 'myDay.nothingYet' : 'myDay.nothing')) : null,
    NotificationPrompt(app));
}

/** "Sent back by 陈明: 沟槽底部仍有积水 · 2 photos", the photos, and the way to fix it. */
function SentBackCard(app, data, approval, name, strips) {
  const subject = subjectOf(data, approval);
  const photos = approval.fields.photos ?? [];
  let strip = null;
  if (photos.length) {
    strip = strips.get(approval.id) ?? new PhotoStrip(app, { testid: 'sent-back-photos' });
    strips.set(approval.id, strip);
    strip.set(photos);
  }
  return h('li', { class: 'card sent-back', testid: 'sent-back-item', dataset: { id: approval.id, subject: approval.fields.subject_id ?? '' } },
    h('h4', {}, subjectName(data, subject)),
    h('p', { class: 'sent-back-by' }, h('strong', {}, tNodes('myDay.sentBackBy', { name })), photos.length ? ` · ${t('myDay.photos', { count: photos.length })}` : ''),
    approval.fields.decision_comment ? h('p', { class: 'sent-back-reason', testid: 'sent-back-reason' }, userText(approval.fields.decision_comment)) : null,
    strip?.element,
    subject ? h('a', { class: 'button button-primary', href: `/r/${subject.type}/${subject.id}`, testid: 'sent-back-fix' }, t('myDay.fix')) : null);
}
