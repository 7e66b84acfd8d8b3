/**
 * A safety check on site: pick a checklist template, mark each item pass / fail / n.a. with big
 * buttons, give an item a note and photos (open under a failed item, a tap away under the others),
 * grade the risk (likelihood × severity), and raise a corrective action for every failed item.
 * Saving queues the check and its actions together, so they sync (or not) as one.
 */
import { randomUuid } from '../../db/random_uuid.js';
import { loadView, loadViews } from '../../sync/local_view.js';
import { enqueue } from '../../sync/outbox.js';
import { may, rolesIn } from '../../sync/permissions.js';
import { loadMembers } from '../../sync/project_members.js';
import { ChoiceChips } from '../components/choice_chips.js';
import { itemText, loadChecklists, templateName } from './checklist_text.js';
import { fill, h } from '../dom.js';
import { FormDraft } from '../components/form_draft.js';
import { FormField, SelectField, TextareaField } from '../components/form_field.js';
import { t } from '../i18n.js';
import { localToday } from '../home/home_sections.js';
import { PhotoField, photosSettled } from '../components/photo_field.js';
import { RiskBadge, RiskGrid, parseItemRisk, worstItemRisk } from './risk_grade.js';
import { Screen } from '../screen.js';
import { byCode, sectionLabel } from '../sections/site_facts.js';

const RESULTS = ['pass', 'fail', 'na'];
const DEFAULT_ACTION_DAYS = 1;
// The server's limits (server/records/safety_check.py).
const ITEM_NOTE_MAX = 1000;
const ITEM_PHOTOS_MAX = 10;
const TEXT_MAX = 4000;

export class SafetyCheckFormScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.template = null;
    this.results = {}; // item code -> pass | fail | na, as picked on this screen
    this.itemPhotos = {}; // item code -> [sha] taken here
    this.itemRisk = {}; // item code -> "<likelihood>-<severity>" of a failed item
    this.savedRisk = {}; // item code -> its grade as the check had it when the form opened
    this.savedNotes = {}; // item code -> note, as the check had them when the form opened
    this.savedPhotos = {}; // item code -> [sha], likewise
    this.checkPhotos = []; // photos of the whole check taken here
    this.photoFields = [];
    this.itemPhotoFields = new Map(); // item code -> its PhotoField while shown
    this.openItems = new Set(); // item codes whose note and photo are open (kept in the draft)
    this.onDestroy(() => this.dropPhotoFields());
    this.draft = new FormDraft(this, {
      heading: this.params.id ? 'checks.edit' : 'checks.new',
      summary: () => (this.template ? templateName(this.template) : ''),
      capture: () => ({
        template: this.template?.fields.code ?? null,
        photos: [...this.checkPhotos],
        item_photos: structuredClone(this.itemPhotos),
        item_risk: { ...this.itemRisk },
        open: [...this.openItems],
      }),
      restore: (extra) => this.restoreDraft(extra),
    });
  }

  /** Puts back what a draft holds beside the controls; the item results come back with the controls. */
  restoreDraft(extra) {
    if (!extra) return;
    if (!this.existing && extra.template) this.template = this.templates.find((template) => template.fields.code === extra.template) ?? null;
    this.checkPhotos = [...(extra.photos ?? [])];
    this.checkPhotoField.set([...(this.existing?.fields.photos ?? []), ...this.checkPhotos]);
    this.itemPhotos = structuredClone(extra.item_photos ?? {});
    this.itemRisk = { ...this.itemRisk, ...(extra.item_risk ?? {}) };
    this.openItems = new Set(extra.open ?? []);
    this.drawTemplate();
  }

  dropPhotoFields() {
    for (const field of [...this.photoFields, ...this.itemPhotoFields.values()]) field.destroy();
    this.photoFields = [];
    this.itemPhotoFields.clear();
  }

  async render() {
    const id = this.params.id;
    this.existing = id ? await loadView('safety_check', id) : null;
    const title = this.existing ? t('checks.edit') : t('checks.new');
    if (id && !this.existing) {
      this.show(h('h1', { tabindex: '-1' }, title), h('p', { class: 'empty', testid: 'record-missing' }, t('record.missing')));
      return;
    }
    const memberships = this.app.session.memberships.filter((m) => may(m.roles, 'safety_check', this.existing ? 'edit' : 'create'));
    this.projectId = this.existing?.fields.project_id ?? memberships[0]?.project_id;
    if (!this.projectId || !may(rolesIn(this.app.session, this.projectId), 'safety_check', this.existing ? 'edit' : 'create')) {
      this.show(h('h1', { tabindex: '-1' }, title), h('p', { class: 'notice', testid: 'not-allowed' }, t('checks.notAllowed')));
      return;
    }
    const [templates, sections, members, actions] = await Promise.all([
      loadChecklists(this.projectId, { all: Boolean(this.existing) }),
      loadViews('section'),
      loadMembers(this.app.api, this.projectId),
      this.existing ? loadViews('action') : [],
    ]);
    this.templates = templates;
    this.sections = sections.filter((section) => section.fields.project_id === this.projectId).sort(byCode);
    this.members = members;
    this.existingActions = actions.filter((action) => action.fields.check_id === this.existing?.id);
    const fields = this.existing?.fields ?? {};
    if (this.existing) {
      this.template = templates.find((template) => template.fields.code === fields.template) ?? null;
      this.results = { ...(fields.results ?? {}) };
      this.savedNotes = { ...(fields.item_notes ?? {}) };
      this.savedPhotos = { ...(fields.item_photos ?? {}) };
      this.savedRisk = { ...(fields.item_risk ?? {}) };
      this.itemRisk = { ...this.savedRisk };
    }

    this.itemsBox = h('div', { class: 'stack', testid: 'check-items' });
    this.templateBox = h('div', { class: 'stack' });
    this.summaryLine = h('p', { class: 'notice', testid: 'check-summary', role: 'status', hidden: true });
    this.error = h('p', { class: 'form-error', testid: 'check-error', role: 'alert', hidden: true });
    this.likelihood = fields.likelihood ?? null;
    this.severity = fields.severity ?? null;
    this.badgeSlot = h('div', { class: 'risk-slot', 'aria-live': 'polite' });

    this.dropPhotoFields();
    const checkPhotoField = this.checkPhotoField = new PhotoField(this.app, {
      id: 'check-photo', shas: fields.photos ?? [],
      onAdd: (sha) => {
        this.checkPhotos.push(sha);
        this.touch();
        checkPhotoField.set([...(fields.photos ?? []), ...this.checkPhotos]);
      },
    });
    this.photoFields.push(checkPhotoField);

    this.form = h('form', {
      class: 'stack', novalidate: true, testid: 'check-form',
      oninput: () => {
        this.touch();
      },
      onsubmit: (event) => this.save(event),
    },
    this.templateBox,
    SelectField({
      id: 'check-section', name: 'section_id', label: t('field.section_id'), value: fields.section_id ?? this.query.get('section') ?? '',
      options: [['', t('task.noSection')], ...this.sections.map((section) => [section.id, sectionLabel(section)])],
      onchange: (event) => this.defaultOwners(event.target.value),
    }),
    FormField({ id: 'check-date', label: t('field.date'), control: h('input', { id: 'check-date', name: 'date', type: 'date', testid: 'check-date', value: fields.date ?? localToday() }) }),
    this.itemsBox,
    h('section', { class: 'card stack', 'aria-labelledby': 'risk-heading', testid: 'check-risk' },
      h('h2', { id: 'risk-heading' }, t('checks.riskTitle')),
      h('p', { class: 'hint' }, t('checks.riskHint')),
      h('p', { class: 'hint' }, t('checks.riskWorst')),
      this.checkGrid = RiskGrid({
        likelihood: this.likelihood, severity: this.severity,
        onChange: (likelihood, severity) => {
          Object.assign(this, { likelihood, severity });
          this.touch();
          this.drawBadge();
        },
      }),
      this.badgeSlot),
    TextareaField({ id: 'check-notes', name: 'notes', label: t('field.notes'), value: fields.notes ?? '', rows: 3, maxlength: TEXT_MAX }),
    h('section', { class: 'stack' }, h('h2', {}, t('checks.photos')), checkPhotoField.element),
    this.summaryLine,
    this.error,
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'button button-primary button-big', testid: 'check-save' }, t('checks.save')),
      h('a', { class: 'button', href: this.existing ? `/r/safety_check/${this.existing.id}` : '/checks', testid: 'check-cancel' }, t('common.cancel'))));

    this.show(h('header', { class: 'screen-header' }, h('h1', { tabindex: '-1' }, title)), this.form);
    this.drawTemplate();
    this.drawBadge();
    this.rememberShown(this.formValues());
    await this.draft.attach(this.form);
  }

  /** The check's own fields as the form holds them (defaults filled in included). */
  formValues() {
    const data = new FormData(this.form);
    const text = (name) => String(data.get(name) ?? '').trim();
    return {
      section_id: text('section_id') || null, date: text('date') || localToday(),
      likelihood: this.likelihood, severity: this.severity, notes: text('notes') || null,
    };
  }

  drawBadge() {
    this.badgeSlot.replaceChildren(h('span', { class: 'hint' }, t('checks.grade')), ' ', RiskBadge(this.likelihood, this.severity));
  }

  /** Either the template choice (big buttons) or the chosen template's name with a way back. */
  drawTemplate() {
    if (!this.template) {
      this.templateBox.replaceChildren(this.templates.length
        ? ChoiceChips({
          name: 'template', legend: t('checks.pickTemplate'), testid: 'check-template', className: 'choices-grid',
          options: this.templates.map((template) => [template.fields.code, `${templateName(template)} (${(template.fields.items ?? []).length})`]),
          onChange: (code) => {
            this.template = this.templates.find((template) => template.fields.code === code);
            this.touch();
            this.drawTemplate();
          },
        })
        : h('p', { class: 'notice', testid: 'check-no-templates' }, t('checks.noTemplates')));
      this.itemsBox.replaceChildren();
      return;
    }
    this.templateBox.replaceChildren(h('div', { class: 'chosen', testid: 'check-template-chosen', dataset: { code: this.template.fields.code } },
      h('span', {}, h('span', { class: 'muted' }, t('checks.template')), ' ', h('strong', {}, templateName(this.template))),
      this.existing ? null : h('button', {
        type: 'button', class: 'button', testid: 'check-template-change',
        onclick: () => {
          this.template = null;
          this.results = {};
          this.itemPhotos = {};
          this.openItems.clear();
          this.touch();
          for (const field of this.itemPhotoFields.values()) field.destroy();
          this.itemPhotoFields.clear();
          this.drawTemplate();
        },
      }, t('checks.changeTemplate'))));
    this.drawItems();
  }

  drawItems() {
    const items = this.template.fields.items ?? [];
    fill(this.itemsBox,
      h('div', { class: 'items-head' },
        h('h2', {}, t('checks.items', { count: items.length })),
        h('button', { type: 'button', class: 'button', testid: 'check-all-pass', onclick: () => this.markRestPassed() }, t('checks.restPass'))),
      items.map((item, index) => this.itemBlock(item, index)));
    this.updateSummary();
  }

  itemBlock(item, index) {
    const code = item.code;
    const detail = h('div', { class: 'item-detail stack' });
    const block = h('div', { class: `check-item result-${this.results[code] ?? 'none'}`, testid: 'check-item', dataset: { code } },
      ChoiceChips({
        name: `result-${code}`, legend: `${index + 1}. ${itemText(item)}`, testid: `check-item-${code}`, value: this.results[code] ?? null,
        className: 'choices-result',
        options: RESULTS.map((result) => [result, t(`result.${result}`)]),
        onChange: (result) => {
          this.results[code] = result;
          this.touch();
          block.className = `check-item result-${result}`;
          this.drawDetail(item, detail, false);
          this.applyWorstRisk();
          this.updateSummary();
        },
      }),
      detail);
    // An item that already has a note or photos shows them at once.
    this.drawDetail(item, detail, Boolean(this.savedNotes[code] || this.savedPhotos[code]?.length || this.openItems.has(code)));
    return block;
  }

  /** The item's photos: those it had, then those taken here. */
  photosOf(code) {
    return [...new Set([...(this.savedPhotos[code] ?? []), ...(this.itemPhotos[code] ?? [])])];
  }

  /** Under a failed item: note, photo and its corrective action. Others: a button that opens note and photo. */
  drawDetail(item, detail, opened) {
    const code = item.code;
    const failed = this.results[code] === 'fail';
    const isNew = !this.existingActions.some((action) => action.fields.item === code);
    const wasOpen = detail.dataset.open === 'true';
    if (!failed && !opened && !wasOpen) {
      detail.replaceChildren(h('button', {
        type: 'button', class: 'button-quiet button', testid: `check-item-${code}-more`,
        onclick: () => this.drawDetail(item, detail, true),
      }, t('checks.addNote')));
      return;
    }
    if (wasOpen && detail.dataset.failed === String(failed)) return; // keep what was typed
    const note = detail.querySelector('textarea')?.value ?? this.savedNotes[code] ?? '';
    detail.dataset.open = 'true';
    detail.dataset.failed = String(failed);
    this.openItems.add(code);
    this.itemPhotoFields.get(code)?.destroy();
    const photoField = new PhotoField(this.app, {
      id: `check-item-${code}-photo`, label: t('photo.take'), shas: this.photosOf(code),
      onAdd: (sha) => {
        if (this.photosOf(code).length >= ITEM_PHOTOS_MAX) {
          photoField.status.textContent = t('checks.itemPhotosFull', { count: ITEM_PHOTOS_MAX });
          return;
        }
        (this.itemPhotos[code] ??= []).push(sha);
        this.touch();
        photoField.set(this.photosOf(code));
      },
    });
    this.itemPhotoFields.set(code, photoField);
    fill(detail,
      TextareaField({ id: `check-item-${code}-note`, name: `note-${code}`, label: t('checks.itemNote'), rows: 2, value: note, maxlength: ITEM_NOTE_MAX }),
      photoField.element,
      failed ? this.itemRiskGrid(item) : null,
      failed && isNew ? this.actionBlock(item) : null,
      failed && !isNew ? h('p', { class: 'hint' }, t('checks.actionExists')) : null);
  }

  /** A failed item's own grade, one tap on its grid; the check's grade follows the worst item. */
  itemRiskGrid(item) {
    const [likelihood, severity] = parseItemRisk(this.itemRisk[item.code]) ?? [null, null];
    return RiskGrid({
      name: `item-risk-${item.code}`, testid: `item-risk-${item.code}`, legend: t('checks.itemRisk'), likelihood, severity,
      onChange: (l, s) => {
        this.itemRisk[item.code] = `${l}-${s}`;
        this.touch();
        this.applyWorstRisk();
      },
    });
  }

  /** The check's grade is its worst failed item's, once any failed item is graded. */
  applyWorstRisk() {
    const failed = Object.keys(this.itemRisk).filter((code) => this.results[code] === 'fail');
    const worst = worstItemRisk(failed.map((code) => this.itemRisk[code]));
    if (!worst || !this.checkGrid) return;
    [this.likelihood, this.severity] = worst;
    this.checkGrid.pick(...worst);
    this.drawBadge();
  }

  /** The corrective action a failed item raises: what to fix (prefilled), who, by when. */
  actionBlock(item) {
    const code = item.code;
    const sectionId = this.form.querySelector('#check-section')?.value;
    const owner = this.sections.find((section) => section.id === sectionId)?.fields.owner_id ?? '';
    const people = this.members.filter((member) => member.roles?.some((role) => ['foreman', 'safety', 'supervisor', 'admin'].includes(role)));
    return h('fieldset', { class: 'action-box', testid: `action-${code}` },
      h('legend', {}, t('checks.actionTitle')),
      TextareaField({ id: `action-${code}-description`, name: `action-description-${code}`, label: t('checks.actionWhat'), rows: 3,
        maxlength: TEXT_MAX, value: t('checks.actionPrefill', { item: itemText(item) }) }),
      SelectField({ id: `action-${code}-owner`, name: `action-owner-${code}`, label: t('checks.actionOwner'), value: owner,
        options: [['', t('task.unassigned')], ...people.map((member) => [member.user_id, member.name || member.username])] }),
      FormField({ id: `action-${code}-deadline`, label: t('field.deadline'),
        control: h('input', { id: `action-${code}-deadline`, name: `action-deadline-${code}`, type: 'date', testid: `action-${code}-deadline`, value: addDays(localToday(), DEFAULT_ACTION_DAYS) }) }));
  }

  /** Actions nobody was picked for yet go to the section's responsible person. */
  defaultOwners(sectionId) {
    const owner = this.sections.find((section) => section.id === sectionId)?.fields.owner_id;
    if (!owner) return;
    for (const select of this.form.querySelectorAll('select[name^="action-owner-"]')) {
      if (!select.value && [...select.options].some((option) => option.value === owner)) select.value = owner;
    }
  }

  markRestPassed() {
    for (const item of this.template.fields.items ?? []) {
      if (this.results[item.code]) continue;
      this.results[item.code] = 'pass';
      const input = this.form.querySelector(`input[name="result-${CSS.escape(item.code)}"][value="pass"]`);
      if (input) input.checked = true;
      input?.closest('.check-item')?.classList.replace('result-none', 'result-pass');
    }
    this.touch();
    this.updateSummary();
  }

  updateSummary() {
    const items = this.template?.fields.items ?? [];
    const failed = items.filter((item) => this.results[item.code] === 'fail').length;
    const open = items.filter((item) => !this.results[item.code]).length;
    this.summaryLine.hidden = items.length === 0;
    this.summaryLine.textContent = [
      open ? t('checks.unanswered', { count: open }) : null,
      failed ? t('checks.willRaise', { count: failed }) : t('checks.noFails'),
    ].filter(Boolean).join(' ');
  }

  async save(event) {
    event.preventDefault();
    await photosSettled(event.submitter);
    const showError = (message) => {
      this.error.textContent = message;
      this.error.hidden = !message;
      if (message) this.error.scrollIntoView({ block: 'center' });
    };
    if (!this.template) return showError(t('checks.templateRequired'));
    const items = this.template.fields.items ?? [];
    const unanswered = items.filter((item) => !this.results[item.code]);
    if (unanswered.length) return showError(t('checks.answerAll', { count: unanswered.length }));
    const data = new FormData(this.form);
    const text = (name) => String(data.get(name) ?? '').trim();
    const failedNew = items.filter((item) => this.results[item.code] === 'fail'
      && !this.existingActions.some((action) => action.fields.item === item.code));
    const missing = failedNew.filter((item) => !text(`action-description-${item.code}`));
    if (missing.length) return showError(t('checks.actionRequired'));
    showError('');

    // Each item's note and photos are keyed by its code; only items whose note or photos
    // changed here are sent (an item never opened keeps its note; an emptied note is removed).
    const noteOf = (code) => (data.has(`note-${code}`) ? text(`note-${code}`) || null : this.savedNotes[code] ?? null);
    const itemNotes = Object.fromEntries(items.map((item) => [item.code, noteOf(item.code)])
      .filter(([code, note]) => note !== (this.savedNotes[code] ?? null)));
    const itemPhotos = Object.fromEntries(Object.entries(this.itemPhotos)
      .filter(([, taken]) => taken.length).map(([code]) => [code, this.photosOf(code)]));
    // A failed item's grade; an item no longer failed loses the grade it had.
    const riskOf = (code) => (this.results[code] === 'fail' ? this.itemRisk[code] ?? null : null);
    const itemRisk = Object.fromEntries(items.map((item) => [item.code, riskOf(item.code)])
      .filter(([code, grade]) => grade !== (this.savedRisk[code] ?? null)));
    const id = this.existing?.id ?? randomUuid();
    const values = this.formValues();
    let fields;
    if (this.existing) {
      fields = this.changedFields(values); // a default shown (today's date, the linked section) stays out
      const before = this.existing.fields.results ?? {};
      const changed = Object.fromEntries(Object.entries(this.results).filter(([code, result]) => before[code] !== result));
      if (Object.keys(changed).length) fields.results = changed;
    } else {
      const set = Object.fromEntries(Object.entries(values).filter(([, value]) => value != null));
      fields = { project_id: this.projectId, template: this.template.fields.code, ...set, results: { ...this.results } };
    }
    if (Object.keys(itemNotes).length) fields.item_notes = itemNotes;
    if (Object.keys(itemPhotos).length) fields.item_photos = itemPhotos;
    if (Object.keys(itemRisk).length) fields.item_risk = itemRisk;
    if (this.checkPhotos.length) fields.photos = { add: [...new Set(this.checkPhotos)] };
    const actions = failedNew.map((item) => ({
      op: 'put', type: 'action', id: randomUuid(),
      fields: {
        project_id: this.projectId, check_id: id, item: item.code,
        description: text(`action-description-${item.code}`),
        ...(text(`action-owner-${item.code}`) ? { owner_id: text(`action-owner-${item.code}`) } : {}),
        ...(text(`action-deadline-${item.code}`) ? { deadline: text(`action-deadline-${item.code}`) } : {}),
        // The action shows what was found: the failed item's photos.
        ...(this.photosOf(item.code).length ? { photos: { add: this.photosOf(item.code) } } : {}),
      },
    }));
    const drafts = [];
    if (!this.existing || Object.keys(fields).length) drafts.push({ op: 'put', type: 'safety_check', id, fields });
    drafts.push(...actions);
    if (drafts.length === 0) {
      this.app.notify(t('task.noChanges'));
      return;
    }
    await enqueue(drafts);
    await this.draft.saved();
    this.dirty = false;
    this.checkPhotos = [];
    this.itemPhotos = {};
    const message = actions.length ? t('checks.savedWithActions', { count: actions.length }) : t('checks.saved');
    this.app.notify(navigator.onLine ? message : `${message} ${t('checks.offline')}`);
    this.app.router.navigate(`/r/safety_check/${id}`, { replace: !this.existing });
  }
}

/** `YYYY-MM-DD` plus `days`, in local dates. */
function addDays(isoDate, days) {
  const [year, month, day] = isoDate.split('-').map(Number);
  const date = new Date(year, month - 1, day + days);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}
