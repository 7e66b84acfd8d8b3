/**
 * One approval waiting for a decision: what it is about (title linked, section, who asked and
 * when, the note), the facts and photos a decider looks at (before and after, side by side, for
 * a rectification), and the decision buttons. A checkbox picks it for approving in a batch.
 */
import { h, summaryParts, userText } from '../dom.js';
import { formatRelative, t, tNodes } from '../i18n.js';
import { PhotoStrip } from '../components/photo_strip.js';
import { RectificationEvidence } from '../safety/action_done.js';
import { requesterOf } from '../../sync/my_day.js';
import { checkOf, KeyFacts, subjectName, subjectOf, subjectSection } from './approval_subjects.js';

/**
 * `strips` keeps the card's photo strips across redraws (`{before, after, photos}`; the screen
 * destroys them). `selected` and `onSelect(checked)` drive the batch checkbox; `onApprove()` and
 * `onReject()` the buttons; `rejectForm` (an element) replaces the buttons while rejecting.
 * testids: `approval-card` (data-id, data-kind), `approval-subject`, `approval-asker`,
 * `approval-note`, `approval-select`, `approval-approve`, `approval-reject`.
 */
export function ApprovalCard(app, data, approval, { strips, selected, onSelect, onApprove, onReject, rejectForm }) {
  const subject = subjectOf(data, approval);
  const asker = requesterOf(approval);
  const section = subjectSection(data, subject);
  const when = approval.createdAt ?? approval.updatedAt;
  return h('li', { class: 'card approval-card', testid: 'approval-card', dataset: { id: approval.id, kind: approval.fields.kind ?? '' } },
    h('div', { class: 'approval-head' },
      h('h3', {}, subject
        ? h('a', { href: `/r/${subject.type}/${subject.id}`, testid: 'approval-subject' }, subjectName(data, subject))
        : h('span', { testid: 'approval-subject' }, subjectName(data, subject))),
      rejectForm ? null : h('label', { class: 'approval-select' },
        h('input', { type: 'checkbox', testid: 'approval-select', checked: selected, onchange: (event) => onSelect(event.target.checked) }),
        h('span', {}, t('approvals.select')))),
    h('p', { class: 'muted approval-meta', testid: 'approval-asker' }, summaryParts([
      userText(section),
      asker ? tNodes('approvals.askedBy', { name: data.nameOf(asker) ? userText(data.nameOf(asker)) : t('approvals.someone') }) : null,
      when ? formatRelative(when) : null,
    ].filter(Boolean))),
    approval.fields.note ? h('p', { class: 'approval-note', testid: 'approval-note' }, userText(approval.fields.note)) : null,
    KeyFacts(data, subject),
    Evidence(app, data, approval, subject, strips),
    rejectForm ?? h('div', { class: 'card-actions' },
      h('button', { type: 'button', class: 'button button-primary', testid: 'approval-approve', onclick: onApprove }, t('approvals.approve')),
      h('button', { type: 'button', class: 'button', testid: 'approval-reject', onclick: onReject }, t('approvals.reject'))));
}

/** Before and after for a rectification; the subject's own photos for anything else. */
function Evidence(app, data, approval, subject, strips) {
  if (!subject) return null;
  if (subject.type === 'action') return RectificationEvidence(app, subject, checkOf(data, subject), strips);
  const shas = subject.fields.photos ?? [];
  if (shas.length === 0) return null;
  strips.photos ??= new PhotoStrip(app, { testid: 'approval-photos' });
  strips.photos.set(shas);
  return strips.photos.element;
}
