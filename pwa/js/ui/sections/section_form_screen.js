/** Create a grid section or change it (admins and supervisors): code, name, responsible person, description. */
import { randomUuid } from '../../db/random_uuid.js';
import { loadView } from '../../sync/local_view.js';
import { enqueue } from '../../sync/outbox.js';
import { may } from '../../sync/permissions.js';
import { loadMembers } from '../../sync/project_members.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { FormDraft } from '../components/form_draft.js';
import { InputField, SelectField, TextareaField, setFieldError } from '../components/form_field.js';
import { Screen } from '../screen.js';

const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;

export class SectionFormScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.draft = new FormDraft(this, {
      heading: this.params.id ? 'sections.edit' : 'sections.new',
      summary: () => [this.form?.querySelector('#section-code')?.value, this.form?.querySelector('#section-name')?.value].filter(Boolean).join(' '),
    });
  }

  async render() {
    const id = this.params.id;
    this.existing = id ? await loadView('section', id) : null;
    const title = this.existing ? t('sections.edit') : t('sections.new');
    if (id && !this.existing) {
      this.show(h('h1', { tabindex: '-1' }, title), h('p', { class: 'empty', testid: 'record-missing' }, t('record.missing')));
      return;
    }
    const action = this.existing ? 'edit' : 'create';
    const projects = this.app.session.memberships.filter((m) => may(m.roles, 'section', action));
    if (projects.length === 0) {
      this.show(h('h1', { tabindex: '-1' }, title), h('p', { class: 'notice', testid: 'not-allowed' }, t('sections.notAllowed')));
      return;
    }
    const fields = this.existing?.fields ?? {};
    const projectId = fields.project_id ?? projects[0].project_id;
    const members = await loadMembers(this.app.api, projectId);
    const people = members.filter((member) => member.roles?.some((role) => ['foreman', 'supervisor', 'admin'].includes(role)));

    this.form = h('form', {
      class: 'stack', novalidate: true, testid: 'section-form',
      oninput: () => {
        this.touch();
      },
      onsubmit: (event) => this.save(event),
    },
    projects.length > 1 && !this.existing
      ? SelectField({ id: 'section-project', name: 'project_id', label: t('field.project_id'), value: projectId,
        options: projects.map((p) => [p.project_id, p.project_name || p.project_code]) })
      : null,
    InputField({ id: 'section-code', name: 'code', label: t('field.code'), hint: t('sections.codeHint'), value: fields.code ?? '',
      required: true, maxlength: 32, autocapitalize: 'characters', autocomplete: 'off' }),
    InputField({ id: 'section-name', name: 'name', label: t('field.name'), value: fields.name ?? '', required: true, maxlength: 200 }),
    SelectField({
      id: 'section-responsible', name: 'owner_id', label: t('sections.owner'), value: fields.owner_id ?? '',
      options: [['', t('sections.noOwner')], ...withCurrent(people.map((m) => [m.user_id, m.name || m.username]), fields.owner_id)],
    }),
    TextareaField({ id: 'section-description', name: 'description', label: t('field.description'), value: fields.description ?? '', maxlength: 4000 }),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'button button-primary', testid: 'section-save' }, t('common.save')),
      h('a', { class: 'button', href: this.existing ? `/r/section/${id}` : '/sections', testid: 'section-cancel' }, t('common.cancel'))));

    this.rememberShown(this.formValues());
    this.show(h('header', { class: 'screen-header' }, h('h1', { tabindex: '-1' }, title)), this.form);
    await this.draft.attach(this.form);
  }

  formValues() {
    const data = new FormData(this.form);
    const text = (name) => String(data.get(name) ?? '').trim();
    return { code: text('code'), name: text('name'), owner_id: text('owner_id') || null, description: text('description') || null };
  }

  async save(event) {
    event.preventDefault();
    const data = new FormData(this.form);
    const text = (name) => String(data.get(name) ?? '').trim();
    const values = this.formValues();
    const errors = {
      'section-code': CODE.test(values.code) ? '' : t('sections.codeInvalid'),
      'section-name': values.name ? '' : t('sections.nameRequired'),
    };
    for (const [controlId, message] of Object.entries(errors)) setFieldError(this.form, controlId, message);
    if (Object.values(errors).some(Boolean)) {
      this.form.querySelector('[aria-invalid="true"]')?.focus();
      return;
    }
    const id = this.existing?.id ?? randomUuid();
    let fields;
    if (this.existing) {
      fields = this.changedFields(values);
      if (Object.keys(fields).length === 0) {
        this.app.notify(t('task.noChanges'));
        return;
      }
    } else {
      const projectId = text('project_id') || this.app.session.memberships.find((m) => may(m.roles, 'section', 'create'))?.project_id;
      fields = { project_id: projectId, ...Object.fromEntries(Object.entries(values).filter(([, value]) => value)) };
    }
    await enqueue([{ op: 'put', type: 'section', id, fields }]);
    await this.draft.saved();
    this.dirty = false;
    this.app.notify(navigator.onLine ? t('task.saved') : t('task.savedOffline'));
    this.app.router.navigate(`/r/section/${id}`, { replace: !this.existing });
  }
}

/** Keeps the current person selectable even when no longer a member. */
function withCurrent(options, current) {
  return !current || options.some(([value]) => value === current) ? options : [...options, [current, String(current).slice(0, 8)]];
}
