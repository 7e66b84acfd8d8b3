/**
 * Logging a resident's complaint in under 30 seconds: category and channel are one tap each,
 * everything optional can be skipped, and the response deadline is set at once from the project's
 * hours for the category (cached for offline use; the server's defaults if never fetched).
 */
import { randomUuid } from '../../db/random_uuid.js';
import { loadViews } from '../../sync/local_view.js';
import { enqueue } from '../../sync/outbox.js';
import { may } from '../../sync/permissions.js';
import { loadProjectSettings, responseDue } from '../../sync/project_settings.js';
import { ChoiceChips, chosenValue } from '../components/choice_chips.js';
import { FormDraft } from '../components/form_draft.js';
import { formatSpan } from '../components/countdown.js';
import { h } from '../dom.js';
import { InputField, SelectField, TextareaField, setFieldError } from '../components/form_field.js';
import { formatDateTime, t } from '../i18n.js';
import { PhotoField, photosSettled } from '../components/photo_field.js';
import { Screen } from '../screen.js';
import { byCode, sectionLabel } from '../sections/site_facts.js';

export const CATEGORIES = ['noise', 'dust', 'traffic', 'access', 'damage', 'safety', 'other'];
export const CHANNELS = ['phone', 'visit', 'hotline', 'online'];
const LAST_CHANNEL_KEY = 'gridline.lastChannel';

/** A number a caller can dial: digits with an optional +, 5–20 of them once spaces and dashes go. */
export function plausiblePhone(value) {
  const digits = value.replace(/[\s()-]/g, '');
  if (!/^\+?\d{5,20}$/.test(digits)) return false;
  if (/^1\d{10}$/.test(digits)) return /^1[3-9]\d{9}$/.test(digits); // mainland mobile
  return true;
}

export class FeedbackIntakeScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.photos = [];
    this.onDestroy(() => {
      this.photoField?.destroy();
      clearInterval(this.clock);
    });
    this.draft = new FormDraft(this, {
      heading: 'feedback.new',
      summary: () => {
        const category = this.form && chosenValue(this.form, 'category');
        return [category ? t(`category.${category}`) : null, this.form?.querySelector('#feedback-description')?.value].filter(Boolean).join(' · ');
      },
      capture: () => ({ photos: [...this.photos] }),
      restore: (extra) => {
        this.photos = [...(extra?.photos ?? [])];
        this.photoField?.set(this.photos);
      },
    });
  }

  async render() {
    const membership = this.app.session.memberships.find((m) => may(m.roles, 'feedback', 'create'));
    if (!membership) {
      this.show(h('h1', { tabindex: '-1' }, t('feedback.new')), h('p', { class: 'notice', testid: 'not-allowed' }, t('feedback.notAllowed')));
      return;
    }
    this.projectId = membership.project_id;
    const [sections, settings] = await Promise.all([loadViews('section'), loadProjectSettings(this.app.api, this.projectId)]);
    this.settings = settings;
    const lastChannel = localStorage.getItem(LAST_CHANNEL_KEY);
    this.duePreview = h('p', { class: 'due-preview', testid: 'feedback-due-preview', role: 'status' });
    this.photoField?.destroy();
    this.photoField = new PhotoField(this.app, {
      id: 'feedback-photo',
      onAdd: (sha) => {
        this.photos.push(sha);
        this.touch();
        this.photoField.set(this.photos);
      },
    });

    this.form = h('form', {
      class: 'stack', novalidate: true, testid: 'feedback-form',
      oninput: () => {
        this.touch();
      },
      onsubmit: (event) => this.save(event),
    },
    ChoiceChips({
      name: 'category', legend: t('field.category'), testid: 'feedback-category', className: 'choices-grid',
      options: CATEGORIES.map((category) => [category, t(`category.${category}`)]),
      onChange: () => this.showDue(),
    }),
    this.duePreview,
    TextareaField({ id: 'feedback-description', name: 'description', label: t('feedback.what'), rows: 3, maxlength: 4000 }),
    SelectField({
      id: 'feedback-section', name: 'section_id', label: t('field.section_id'), value: this.query.get('section') ?? '',
      options: [['', t('feedback.sectionUnknown')], ...sections.filter((s) => s.fields.project_id === this.projectId).sort(byCode)
        .map((section) => [section.id, sectionLabel(section)])],
    }),
    InputField({ id: 'feedback-location', name: 'location', label: t('field.location'), hint: t('feedback.locationHint'), maxlength: 300, autocomplete: 'off' }),
    h('div', { class: 'side-by-side-fields' },
      InputField({ id: 'feedback-resident-name', name: 'resident_name', label: t('feedback.residentName'), maxlength: 100, autocomplete: 'off' }),
      InputField({ id: 'feedback-resident-phone', name: 'resident_phone', label: t('feedback.residentPhone'), type: 'tel', inputmode: 'tel', maxlength: 32, autocomplete: 'off' })),
    ChoiceChips({
      name: 'channel', legend: t('field.channel'), testid: 'feedback-channel', value: CHANNELS.includes(lastChannel) ? lastChannel : null,
      options: CHANNELS.map((channel) => [channel, t(`channel.${channel}`)]),
    }),
    this.photoField.element,
    h('p', { class: 'form-error', testid: 'feedback-error', role: 'alert', hidden: true }),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'button button-primary button-big', testid: 'feedback-save' }, t('feedback.save')),
      h('a', { class: 'button', href: '/feedback', testid: 'feedback-cancel' }, t('common.cancel'))));

    this.show(h('header', { class: 'screen-header' }, h('h1', { tabindex: '-1' }, t('feedback.new'))), this.form);
    this.showDue();
    clearInterval(this.clock);
    this.clock = setInterval(() => this.showDue(), 30_000);
    await this.draft.attach(this.form);
  }

  /** "Reply by 18:30 (within 4 h)" for the chosen category. */
  showDue() {
    const category = chosenValue(this.form, 'category');
    if (!category) {
      this.duePreview.textContent = t('feedback.pickCategory');
      return;
    }
    const due = responseDue(this.settings, category);
    this.duePreview.textContent = t('feedback.dueBy', {
      when: formatDateTime(due), span: formatSpan(Date.parse(due) - Date.now()),
    });
  }

  async save(event) {
    event.preventDefault();
    await photosSettled(event.submitter);
    const data = new FormData(this.form);
    const text = (name) => String(data.get(name) ?? '').trim();
    const category = chosenValue(this.form, 'category');
    const channel = chosenValue(this.form, 'channel');
    const phone = text('resident_phone');
    const error = this.form.querySelector('[data-testid="feedback-error"]');
    const errors = {
      'feedback-description': text('description') ? '' : t('feedback.describe'),
      'feedback-resident-phone': !phone || plausiblePhone(phone) ? '' : t('feedback.phoneInvalid'),
    };
    for (const [id, message] of Object.entries(errors)) setFieldError(this.form, id, message);
    error.hidden = Boolean(category);
    error.textContent = category ? '' : t('feedback.categoryRequired');
    if (!category || Object.values(errors).some(Boolean)) {
      (category ? this.form.querySelector('[aria-invalid="true"]') : this.form.querySelector('input[name="category"]'))?.focus();
      return;
    }
    const now = new Date();
    const fields = {
      project_id: this.projectId, category, description: text('description'),
      response_due: responseDue(this.settings, category, now),
    };
    for (const name of ['section_id', 'location', 'resident_name']) {
      if (text(name)) fields[name] = text(name);
    }
    if (phone) fields.resident_phone = phone.replace(/[\s()-]/g, '');
    if (channel) {
      fields.channel = channel;
      localStorage.setItem(LAST_CHANNEL_KEY, channel);
    }
    if (this.photos.length) fields.photos = { add: [...this.photos] };
    const id = randomUuid();
    await enqueue([{ op: 'put', type: 'feedback', id, fields }]);
    await this.draft.saved();
    this.dirty = false;
    this.photos = [];
    this.app.notify(navigator.onLine ? t('feedback.saved') : t('feedback.savedOffline'));
    this.app.router.navigate(`/r/feedback/${id}`, { replace: true });
  }
}
