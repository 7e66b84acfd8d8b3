/**
 * One complaint: what, where, who (phone as the server gives it: masked for roles that may not
 * see it), the deadline counting down, and its way through received → … → closed. Resolving
 * asks for the answer given to the resident (what they were told, what was done), kept as a
 * draft while typed; closing asks for the resident's satisfaction (1–5). Each is sent with the
 * new state in one change.
 */
import { loadView } from '../../sync/local_view.js';
import { enqueue } from '../../sync/outbox.js';
import { may, rolesIn } from '../../sync/permissions.js';
import { RECORD_TYPES } from '../../sync/record_types.js';
import { DueChip, DueTime } from '../components/countdown.js';
import { h } from '../dom.js';
import { FieldList } from '../components/field_list.js';
import { FormDraft } from '../components/form_draft.js';
import { t } from '../i18n.js';
import { loadNameDirectory } from '../components/name_directory.js';
import { PhotoField } from '../components/photo_field.js';
import { PhotoStrip } from '../components/photo_strip.js';
import { RecordHistory, lastChange } from '../records/record_history.js';
import { stateLabel, typeLabel } from '../components/record_text.js';
import { Screen } from '../screen.js';
import { StatusActions, enqueueUndoable } from '../components/status_actions.js';

const STEPS = Object.keys(RECORD_TYPES.feedback.transitions);
const SCORES = [1, 2, 3, 4, 5];

export class FeedbackScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.history = new RecordHistory(this.app, 'feedback', this.params.id, () => this.scheduleRender());
    this.score = null; // the satisfaction picked before closing
    this.refreshOn('records');
    const clock = setInterval(() => this.scheduleRender(), 30_000);
    this.onDestroy(() => {
      clearInterval(clock);
      this.photos?.destroy();
    });
  }

  async render() {
    const { id } = this.params;
    const [view, nameOf] = await Promise.all([loadView('feedback', id), loadNameDirectory(this.app)]);
    if (!view) {
      this.show(h('h1', { tabindex: '-1' }, typeLabel('feedback')), h('p', { class: 'empty', testid: 'record-missing' }, t('record.missing')));
      return;
    }
    const status = view.fields.status ?? 'received';
    const answered = ['resolved', 'closed'].includes(status);
    const mayEdit = may(rolesIn(this.app.session, view.fields.project_id), 'feedback', 'edit');
    if (!this.photos) {
      this.photos = mayEdit
        ? new PhotoField(this.app, {
          id: 'feedback-photo', label: t('photo.add'),
          onAdd: (sha) => enqueue([{ op: 'put', type: 'feedback', id, fields: { photos: { add: [sha] } } }]),
        })
        : new PhotoStrip(this.app, { testid: 'feedback-photo-list' });
    }
    this.photos.set(view.fields.photos ?? []);
    const phone = view.fields.resident_phone;
    this.show(
      h('header', { class: 'screen-header', testid: 'feedback-page', dataset: { id, status } },
        h('p', { class: 'eyebrow' }, typeLabel('feedback'), ' · ', t(`category.${view.fields.category}`)),
        h('h1', { tabindex: '-1' }, view.fields.description ?? ''),
        h('p', { class: 'record-tags' },
          h('span', { class: `chip chip-${status}`, testid: 'record-status' }, stateLabel(status)),
          DueChip(view.fields.response_due, { done: answered }),
          answered ? null : DueTime(view.fields.response_due),
          view.pending ? h('span', { class: 'chip chip-pending', testid: 'record-pending' }, t('record.notSynced')) : null)),
      // Where the complaint is on its way: five segments, and the step in words (long state names
      // would break mid-word in five columns on a phone).
      h('div', { class: 'steps-box' },
        h('ol', { class: 'steps', testid: 'feedback-steps', 'aria-hidden': 'true' }, STEPS.map((step, i) => h('li', {
          class: i < STEPS.indexOf(status) ? 'step-done' : i === STEPS.indexOf(status) ? 'step-current' : null,
          dataset: { state: step },
        }))),
        h('p', { class: 'steps-caption' }, t('feedback.step', { step: STEPS.indexOf(status) + 1, total: STEPS.length, state: stateLabel(status) }))),
      // Every step of a complaint can be taken back for a few seconds (the toast's 撤销).
      StatusActions(this.app, view, { undoable: true, custom: { closed: () => this.closing(view), resolved: () => this.resolving(view) } }),
      phone && !phone.includes('*')
        ? h('a', { class: 'button button-block', href: `tel:${phone}`, testid: 'feedback-call' }, t('feedback.call', { phone })) : null,
      FieldList(view, ['category', 'section_id', 'location', 'resident_name', 'resident_phone', 'channel', 'response_due', 'satisfaction', 'answer'], nameOf, {
        satisfaction: (score) => t('feedback.scoreValue', { score, word: t(`feedback.scoreWord.${score}`) }),
      }),
      h('section', { class: 'stack', 'aria-labelledby': 'feedback-photos-heading' },
        h('h2', { id: 'feedback-photos-heading' }, t('field.photos')),
        this.photos.element,
        !mayEdit && !(view.fields.photos ?? []).length ? h('p', { class: 'empty' }, t('briefing.noPhotos')) : null),
      view.updatedAt ? h('p', { class: 'muted' }, lastChange(view, nameOf)) : null,
      this.history.element(nameOf));
    this.history.load(view.serverSeq);
    if (this.answerForm?.isConnected && !this.answerDraft) {
      this.answerDraft = new FormDraft(this, { heading: 'feedback.answerDraft' });
      await this.answerDraft.attach(this.answerForm);
      this.updateResolve();
    }
  }

  /**
   * Resolving: the answer given to the resident, then one tap sends it with the state. The form
   * is drawn once and kept across redraws (the countdown redraws every 30 s), so typing stays.
   */
  resolving(view) {
    if (!this.answerForm) {
      this.answerText = h('textarea', {
        id: 'feedback-answer', name: 'answer', testid: 'feedback-answer', rows: 4, maxlength: 4000,
        value: view.fields.answer ?? '', 'aria-describedby': 'feedback-answer-hint', oninput: () => this.updateResolve(),
      });
      this.answerNeeded = h('p', { id: 'feedback-answer-needed', class: 'close-needs-score', testid: 'feedback-answer-needed' }, t('feedback.answerFirst'));
      this.resolveButton = h('button', {
        type: 'submit', class: 'button button-primary button-block', testid: 'status-to-resolved',
      }, t('record.moveTo', { state: stateLabel('resolved') }));
      this.answerForm = h('form', {
        class: 'stack', testid: 'feedback-resolve',
        onsubmit: async (event) => {
          event.preventDefault();
          const answer = this.answerText.value.trim();
          if (!answer) return;
          await enqueueUndoable(this.app, [{ op: 'put', type: 'feedback', id: view.id, fields: { answer, status: 'resolved' } }],
            t('record.statusQueued', { state: stateLabel('resolved') }));
          await this.answerDraft?.saved();
        },
      },
      h('div', { class: 'field' },
        h('label', { for: 'feedback-answer' }, t('field.answer')),
        h('p', { class: 'hint', id: 'feedback-answer-hint' }, t('feedback.answerHint')),
        this.answerText),
      this.answerNeeded,
      this.resolveButton);
      // The draft's banner goes before the form: inside this box, so a redraw keeps it too.
      this.answerBox = h('div', { class: 'stack feedback-resolve' }, this.answerForm);
    }
    this.updateResolve();
    return this.answerBox;
  }

  updateResolve() {
    const empty = !this.answerText.value.trim();
    this.resolveButton.disabled = empty;
    this.answerNeeded.hidden = !empty;
    this.resolveButton.setAttribute('aria-describedby', empty ? 'feedback-answer-needed' : '');
  }

  /**
   * Closing: the resident's score (five big buttons), then one tap sends score and state together.
   * Until a score is picked the button says what it does and is plainly off (outlined, dashed);
   * what to do first is said in normal text above it, not in a faded button.
   */
  closing(view) {
    const picked = this.score != null;
    const needsScore = picked ? null
      : h('p', { id: 'feedback-close-needs-score', class: 'close-needs-score', testid: 'feedback-close-needs-score' }, t('feedback.pickScoreFirst'));
    const confirm = h('button', {
      type: 'button', class: 'button button-primary button-block button-close', testid: 'status-to-closed', disabled: !picked,
      'aria-describedby': picked ? null : 'feedback-close-needs-score',
      onclick: async () => {
        if (this.score == null) return;
        await enqueueUndoable(this.app, [{ op: 'put', type: 'feedback', id: view.id, fields: { satisfaction: this.score, status: 'closed' } }],
          t('feedback.closed', { score: this.score }));
        this.score = null;
      },
    }, picked ? t('feedback.closeWith', { score: this.score }) : t('feedback.close'));
    return h('fieldset', { class: 'choices satisfaction', testid: 'feedback-satisfaction' },
      h('legend', {}, t('feedback.satisfaction')),
      h('p', { class: 'hint' }, t('feedback.satisfactionHint')),
      h('div', { class: 'choice-row score-row' }, SCORES.map((score) => h('button', {
        type: 'button', class: 'score', testid: `feedback-satisfaction-${score}`, 'aria-pressed': String(this.score === score),
        'aria-label': t(`feedback.scoreLabel.${score}`),
        onclick: () => {
          this.score = score;
          this.render();
        },
      }, h('strong', {}, String(score)), h('span', {}, t(`feedback.scoreWord.${score}`))))),
      needsScore,
      confirm);
  }
}
