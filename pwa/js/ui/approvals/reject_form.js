/**
 * Sending work back: a reason (typed, or a quick reason chip that writes it) and, if the
 * decider wants, photos of what is still wrong. The reason is kept as a draft as it is typed
 * (FormDraft, keyed by the approval), so a reload or a dead battery loses nothing.
 */
import { h, userText } from '../dom.js';
import { t, tNodes } from '../i18n.js';
import { FormDraft } from '../components/form_draft.js';
import { PhotoField, photosSettled } from '../components/photo_field.js';
import { ConfirmPanel } from '../components/status_actions.js';

const REASON_MAX = 2000;
/** Quick reasons by approval kind, then those that fit any kind (i18n keys `approvals.quick.<code>`). */
const QUICK_REASONS = {
  task_acceptance: ['rework', 'siteNotCleared'],
  rectification: ['notFixed', 'signsMissing'],
  closure_review: ['residentUnhappy', 'answerIncomplete'],
  check_closure: ['notFixed'],
  change_order: ['costUnclear'],
  signoff: ['changesUnmarked'],
};
const ANY_KIND = ['photoUnclear', 'papersMissing'];

/** Where a reject form's draft is kept: the inbox, opened on this approval's form. */
export function rejectRoute(approvalId) {
  return `/approvals?reject=${approvalId}`;
}

/**
 * The form for rejecting `approval`, drawn inside the inbox `screen`. `onReject({reason, shas})`
 * queues the decision, `onCancel()` closes it. testids: `reject-form`, `reject-reason`,
 * `reject-quick-<code>`, `reject-photo`, `reject-reason-missing`, `reject-confirm`, `reject-cancel`.
 */
export class RejectForm {
  constructor(screen, approval, { asker, onReject, onCancel }) {
    this.shas = [];
    this.draft = new FormDraft(screen, {
      heading: 'approvals.rejectDraft', route: rejectRoute(approval.id),
      summary: () => this.reason.value,
      capture: () => ({ shas: [...this.shas] }),
      restore: (extra) => {
        this.shas = [...(extra?.shas ?? [])];
        this.photos.set(this.shas);
        return true;
      },
      unsaved: () => this.reason.value.trim() !== '' || this.shas.length > 0,
    });
    this.photos = new PhotoField(screen.app, {
      id: 'reject-photo', label: t('approvals.rejectPhoto'), shas: this.shas,
      onAdd: (sha) => {
        this.shas.push(sha);
        this.photos.set(this.shas);
        this.draft.changed();
      },
    });
    this.reason = h('textarea', {
      id: 'reject-reason', name: 'reject-reason', testid: 'reject-reason', rows: 3, maxlength: REASON_MAX, required: true,
      oninput: () => { this.missing.hidden = true; },
    });
    this.missing = h('p', { class: 'form-error', role: 'alert', testid: 'reject-reason-missing', hidden: true }, t('record.reasonNeeded'));
    const quick = [...(QUICK_REASONS[approval.fields.kind] ?? []), ...ANY_KIND];
    const chips = h('div', { class: 'quick-reasons', role: 'group', 'aria-label': t('approvals.quickReasons') },
      quick.map((code) => h('button', {
        type: 'button', class: 'chip-button', testid: `reject-quick-${code}`,
        onclick: () => this.addReason(t(`approvals.quick.${code}`)),
      }, t(`approvals.quick.${code}`))));
    this.element = h('form', { class: 'reject-form', testid: 'reject-form', onsubmit: (event) => event.preventDefault() },
      ConfirmPanel({
        question: asker ? tNodes('approvals.rejectQuestion', { name: userText(asker) }) : t('approvals.rejectQuestionNoName'),
        className: 'reject-panel', testid: 'reject-panel', confirmTestid: 'reject-confirm', cancelTestid: 'reject-cancel',
        body: [
          chips,
          h('div', { class: 'field' }, h('label', { for: 'reject-reason' }, t('record.reason')), this.reason),
          this.missing,
          this.photos.element,
        ],
        confirmLabel: t('approvals.reject'),
        onConfirm: async (event) => {
          await photosSettled(event.currentTarget);
          const reason = this.reason.value.trim();
          if (!reason) {
            this.missing.hidden = false;
            this.reason.focus();
            return;
          }
          await this.draft.saved();
          onReject({ reason, shas: [...this.shas] });
        },
        onCancel: async () => {
          await this.draft.saved();
          onCancel();
        },
      }));
  }

  /** Draws the form's stored draft back in, once it is on the page. */
  attach() {
    return this.draft.attach(this.element);
  }

  /** A quick reason joins what is typed, as if typed. */
  addReason(text) {
    const current = this.reason.value.trim();
    if (current.includes(text)) return;
    this.reason.value = current ? `${current}；${text}` : text;
    this.reason.dispatchEvent(new Event('input', { bubbles: true }));
  }

  destroy() {
    this.photos.destroy();
  }
}
