/**
 * Recording an inspection of a work step (/r/work_step/<id>/inspect?level=self|mutual|specialist):
 * a checklist's items pass / fail / n.a., a measurement with its unit where an item asks for one,
 * photos (with when and, if allowed, where they were taken), notes, and the verdict. Saving queues
 * the inspection and the step's move together; everything typed is kept as a draft until then.
 */
import { randomUuid } from '../../db/random_uuid.js';
import { loadView } from '../../sync/local_view.js';
import { enqueue } from '../../sync/outbox.js';
import { h, userText } from '../dom.js';
import { t } from '../i18n.js';
import { FormDraft } from '../components/form_draft.js';
import { SelectField, TextareaField } from '../components/form_field.js';
import { PhotoField, photosSettled } from '../components/photo_field.js';
import { stateLabel } from '../components/record_text.js';
import { itemText, loadChecklists, templateName } from '../safety/checklist_text.js';
import { Screen } from '../screen.js';
import { PASSED, RECTIFYING, awaitedLevel, loadInspections, mayRecord, nextRound } from './work_step_facts.js';

const ITEM_RESULTS = ['pass', 'fail', 'na'];

export class InspectionFormScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.photos = []; // sha256 names, in the order taken
    this.template = null;
    this.draft = new FormDraft(this, {
      heading: 'inspection.new',
      route: `${location.pathname}${location.search}`, // one draft per level (?level=)
      summary: () => (this.step ? `${this.step.fields.step ?? ''} · ${t(`level.${this.level}`)}` : ''),
      capture: () => ({ template: this.template?.fields.code ?? null, photos: [...this.photos] }),
      restore: (extra) => {
        if (!extra) return true;
        this.photos = extra.photos ?? [];
        this.photoField?.set(this.photos);
        if (extra.template) this.pickTemplate(extra.template);
        return true;
      },
      unsaved: () => true,
    });
  }

  async render() {
    if (this.form) return; // drawn once: redraws would drop what is being typed
    const step = await loadView('work_step', this.params.id);
    this.step = step;
    this.level = this.query.get('level') ?? (step && awaitedLevel(step));
    if (!step || !this.level || awaitedLevel(step) !== this.level || !mayRecord(this.app.session, step, this.level)) {
      this.show(h('h1', { tabindex: '-1' }, t('inspection.new')), h('p', { class: 'empty', testid: 'inspection-unavailable' },
        step ? t('inspection.notNow') : t('record.missing')), step ? h('a', { class: 'button', href: `/r/work_step/${step.id}` }, t('common.back')) : null);
      return;
    }
    this.inspections = await loadInspections(step.id);
    this.templates = await loadChecklists(step.fields.project_id);
    this.itemsBox = h('div', { class: 'stack', testid: 'inspection-items' });
    this.photoField = new PhotoField(this.app, {
      id: 'inspection-photo', shas: this.photos,
      onAdd: (sha) => {
        this.photos.push(sha);
        this.photoField.set(this.photos);
        this.touch();
      },
      onRemove: (sha) => {
        this.photos = this.photos.filter((name) => name !== sha);
        this.photoField.set(this.photos);
        this.touch();
      },
    });
    this.onDestroy(() => this.photoField.destroy());
    const form = h('form', { class: 'stack', testid: 'inspection-form', novalidate: true, onsubmit: (event) => this.save(event) },
      SelectField({ id: 'inspection-checklist', name: 'checklist', label: t('inspection.checklist'),
        options: [['', t('inspection.noChecklist')], ...this.templates.map((tpl) => [tpl.fields.code, templateName(tpl)])],
        onchange: (event) => this.pickTemplate(event.target.value) }),
      this.itemsBox,
      this.photoField.element,
      TextareaField({ id: 'inspection-notes', name: 'notes', label: t('field.notes'), maxlength: 4000 }),
      h('fieldset', { class: 'choices verdict', testid: 'inspection-verdict' },
        h('legend', {}, t('inspection.verdict')),
        h('div', { class: 'choice-row' }, ['pass', 'fail'].map((result) => h('label', { class: `choice choice-${result}` },
          h('input', { type: 'radio', name: 'result', value: result, testid: `inspection-result-${result}` }), h('span', {}, t(`result.${result}`)))))),
      h('p', { class: 'form-error', testid: 'inspection-error', role: 'alert' }),
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'button button-primary', testid: 'inspection-save' }, t('inspection.save')),
        h('a', { class: 'button', href: `/r/work_step/${step.id}` }, t('common.cancel'))));
    this.form = form;
    this.show(
      h('header', { class: 'screen-header' },
        h('p', { class: 'eyebrow' }, userText(step.fields.step)),
        h('h1', { tabindex: '-1' }, t('inspection.title', { level: t(`level.${this.level}`) })),
        nextRound(this.inspections, this.level) > 0
          ? h('p', { class: 'notice', testid: 'inspection-reinspect' }, t('inspection.again', { count: nextRound(this.inspections, this.level) + 1 })) : null),
      form);
    const preferred = this.templates.find((tpl) => !tpl.fields.builtin) ?? null;
    if (preferred && !this.template) this.pickTemplate(preferred.fields.code);
    await this.draft.attach(form);
  }

  /** Shows the chosen checklist's items: a pass / fail / n.a. choice and, where asked, a measurement. */
  pickTemplate(code) {
    this.template = this.templates?.find((tpl) => tpl.fields.code === code) ?? null;
    if (!this.itemsBox) return;
    const select = this.form?.querySelector('#inspection-checklist');
    if (select && select.value !== (code ?? '')) select.value = code ?? '';
    this.itemsBox.replaceChildren(...(this.template?.fields.items ?? []).map((item) => h('fieldset', { class: 'card choices inspection-item', testid: 'inspection-item', dataset: { code: item.code } },
      h('legend', {}, itemText(item)),
      h('div', { class: 'choice-row' }, ITEM_RESULTS.map((result) => h('label', { class: `choice choice-${result}` },
        h('input', { type: 'radio', name: `item-${item.code}`, value: result, testid: `item-${item.code}-${result}` }), h('span', {}, t(`result.${result}`))))),
      item.unit ? h('label', { class: 'measurement' },
        h('span', {}, t('inspection.measured')),
        h('input', { type: 'number', step: 'any', inputmode: 'decimal', name: `measure-${item.code}`, testid: `measure-${item.code}`, 'aria-label': `${itemText(item)} (${item.unit})` }),
        h('span', { class: 'unit' }, item.unit)) : null)));
  }

  async save(event) {
    event.preventDefault();
    await photosSettled(event.submitter);
    const data = new FormData(this.form);
    const result = data.get('result');
    const error = this.form.querySelector('[testid="inspection-error"]');
    if (!result) {
      error.textContent = t('inspection.needVerdict');
      return;
    }
    const results = {};
    const measurements = {};
    for (const item of this.template?.fields.items ?? []) {
      const value = data.get(`item-${item.code}`);
      if (value) results[item.code] = value;
      const measured = String(data.get(`measure-${item.code}`) ?? '').trim();
      if (item.unit && measured !== '' && Number.isFinite(Number(measured))) measurements[item.code] = { value: Number(measured), unit: item.unit };
    }
    const step = this.step;
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    await enqueue([
      { op: 'put', type: 'inspection', id: randomUuid(), fields: {
        project_id: step.fields.project_id, work_step_id: step.id, level: this.level, round: nextRound(this.inspections, this.level),
        result, checklist: this.template?.fields.code ?? null, results, measurements,
        photos: { add: [...this.photos] }, notes: String(data.get('notes') ?? '').trim() || null, inspected_at: now } },
      { op: 'put', type: 'work_step', id: step.id, fields: { status: result === 'pass' ? PASSED[this.level] : RECTIFYING[this.level] } },
    ]);
    await this.draft.saved();
    this.dirty = false;
    this.app.notify(t('inspection.saved', { state: stateLabel(result === 'pass' ? PASSED[this.level] : RECTIFYING[this.level]) }));
    this.app.router.navigate(`/r/work_step/${step.id}`, { replace: true });
  }
}
