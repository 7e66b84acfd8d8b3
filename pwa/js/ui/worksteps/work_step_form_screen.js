/**
 * A new work step (/work-steps/new?section=<id>) or an edit of one (/r/work_step/<id>/edit):
 * the step from the project's list, the crew from the roster, its foreman and the next crew's
 * foreman (who do the self and mutual inspections), planned dates and the step it follows.
 * What is typed is kept as a draft until saved.
 */
import { randomUuid } from '../../db/random_uuid.js';
import { loadView } from '../../sync/local_view.js';
import { enqueue } from '../../sync/outbox.js';
import { loadMembers } from '../../sync/project_members.js';
import { loadProjectSettings } from '../../sync/project_settings.js';
import { h, userText } from '../dom.js';
import { t } from '../i18n.js';
import { FormDraft } from '../components/form_draft.js';
import { InputField, SelectField, TextareaField } from '../components/form_field.js';
import { loadRoster } from '../crew/crew_roster.js';
import { sectionLabel } from '../sections/site_facts.js';
import { Screen } from '../screen.js';
import { DEFAULT_STEPS, loadSectionSteps } from './work_step_facts.js';

const FIELDS = ['step', 'crew', 'foreman_id', 'next_foreman_id', 'planned_start', 'planned_end', 'depends_on', 'notes'];

export class WorkStepFormScreen extends Screen {
  constructor(...args) {
    super(...args);
    // Keyed by the whole address: a new step's section is in its query (?section=).
    this.draft = new FormDraft(this, { heading: this.params.id ? 'worksteps.edit' : 'worksteps.new', route: `${location.pathname}${location.search}` });
  }

  async render() {
    if (this.form) return; // drawn once, so typing is never redrawn away
    const existing = this.params.id ? await loadView('work_step', this.params.id) : null;
    const sectionId = existing?.fields.section_id ?? this.query.get('section');
    const section = sectionId ? await loadView('section', sectionId) : null;
    if (!section) {
      this.show(h('h1', { tabindex: '-1' }, t('worksteps.new')), h('p', { class: 'empty', testid: 'record-missing' }, t('record.missing')));
      return;
    }
    const projectId = section.fields.project_id;
    const [settings, members, roster, steps] = await Promise.all([
      loadProjectSettings(this.app.api, projectId), loadMembers(this.app.api, projectId), loadRoster(projectId), loadSectionSteps(sectionId)]);
    const names = settings.work_steps?.length ? settings.work_steps : DEFAULT_STEPS;
    const teams = [...new Set(roster.onSite.map((worker) => worker.fields.team).filter(Boolean))];
    const people = [['', t('worksteps.nobody')],
      ...members.filter((member) => member.roles.includes('foreman') || member.roles.includes('supervisor'))
        .map((member) => [member.user_id, member.name || member.username])];
    const before = [['', t('worksteps.noPredecessor')],
      ...steps.filter((step) => step.id !== existing?.id).map((step) => [step.id, [step.fields.step, step.fields.crew].filter(Boolean).join(' · ')])];
    const value = (name) => existing?.fields[name] ?? '';
    const form = h('form', { class: 'stack', testid: 'work-step-form', novalidate: true, onsubmit: (event) => this.save(event, existing, section) },
      InputField({ id: 'work-step-step', name: 'step', label: t('field.step'), required: true, maxlength: 100, list: 'work-step-names', value: value('step'), autocomplete: 'off' }),
      h('datalist', { id: 'work-step-names' }, names.map((name) => h('option', { value: name }))),
      InputField({ id: 'work-step-crew', name: 'crew', label: t('field.crew'), maxlength: 50, list: 'work-step-teams', value: value('crew'), autocomplete: 'off' }),
      h('datalist', { id: 'work-step-teams' }, teams.map((team) => h('option', { value: team }))),
      SelectField({ id: 'work-step-foreman', name: 'foreman_id', label: t('field.foreman_id'), options: people, value: value('foreman_id'), hint: t('worksteps.foremanHint') }),
      SelectField({ id: 'work-step-next-foreman', name: 'next_foreman_id', label: t('field.next_foreman_id'), options: people, value: value('next_foreman_id'), hint: t('worksteps.nextForemanHint') }),
      InputField({ id: 'work-step-start', name: 'planned_start', type: 'date', label: t('field.planned_start'), value: value('planned_start') }),
      InputField({ id: 'work-step-end', name: 'planned_end', type: 'date', label: t('field.planned_end'), value: value('planned_end') }),
      SelectField({ id: 'work-step-after', name: 'depends_on', label: t('field.depends_on'), options: before, value: value('depends_on') }),
      TextareaField({ id: 'work-step-notes', name: 'notes', label: t('field.notes'), maxlength: 4000, value: value('notes') }),
      h('p', { class: 'form-error', testid: 'work-step-error', role: 'alert' }),
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'button button-primary', testid: 'work-step-save' }, t('common.save')),
        h('a', { class: 'button', href: existing ? `/r/work_step/${existing.id}` : `/r/section/${section.id}` }, t('common.cancel'))));
    this.form = form;
    this.show(h('header', { class: 'screen-header' },
      h('p', { class: 'eyebrow' }, userText(sectionLabel(section))),
      h('h1', { tabindex: '-1' }, t(existing ? 'worksteps.edit' : 'worksteps.new'))), form);
    this.rememberShown(this.values());
    await this.draft.attach(form);
  }

  values() {
    const data = new FormData(this.form);
    return Object.fromEntries(FIELDS.map((name) => [name, String(data.get(name) ?? '').trim() || null]));
  }

  async save(event, existing, section) {
    event.preventDefault();
    const values = this.values();
    if (!values.step) {
      this.form.querySelector('[testid="work-step-error"]').textContent = t('worksteps.needStep');
      this.form.querySelector('#work-step-step').focus();
      return;
    }
    const id = existing?.id ?? randomUuid();
    const fields = existing ? this.changedFields(values)
      : { project_id: section.fields.project_id, section_id: section.id, ...values };
    if (Object.keys(fields).length) await enqueue([{ op: 'put', type: 'work_step', id, fields }]);
    await this.draft.saved();
    this.dirty = false;
    this.app.router.navigate(`/r/work_step/${id}`, { replace: !existing });
  }
}
