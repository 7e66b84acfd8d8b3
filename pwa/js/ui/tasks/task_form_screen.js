/**
 * Create or edit a task offline; saving queues one mutation with only the fields that changed
 * (dependencies and photos as set changes, so nobody else's additions are removed).
 */
import { randomUuid } from '../../db/random_uuid.js';
import { loadView, loadViews } from '../../sync/local_view.js';
import { enqueue } from '../../sync/outbox.js';
import { loadMembers } from '../../sync/project_members.js';
import { isAuthorOf, may, rolesIn } from '../../sync/permissions.js';
import { initialState, TASK_PRIORITIES } from '../../sync/record_types.js';
import { ConfirmButton } from '../components/confirm_button.js';
import { h, userText } from '../dom.js';
import { t } from '../i18n.js';
import { FormDraft } from '../components/form_draft.js';
import { FormField, setFieldError } from '../components/form_field.js';
import { PhotoField, photosSettled } from '../components/photo_field.js';
import { recordTitle, stateLabel } from '../components/record_text.js';
import { Screen } from '../screen.js';
import { byCode, sectionLabel } from '../sections/site_facts.js';
import { StatusActions } from '../components/status_actions.js';

/** Form controls: task field -> element id (also the data-testid). */
const CONTROL_IDS = {
  project_id: 'task-project',
  title: 'task-title',
  description: 'task-description',
  section_id: 'task-section',
  assignee_id: 'task-assignee',
  due_date: 'task-due-date',
  planned_start: 'task-planned-start',
  planned_end: 'task-planned-end',
  priority: 'task-priority',
  progress: 'task-progress',
};

export class TaskFormScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.addedPhotos = []; // photos taken in this form, sent with Save
    this.onDestroy(() => this.photoField?.destroy());
    this.draft = new FormDraft(this, {
      heading: this.params.id ? 'task.edit' : 'task.new',
      summary: () => this.form?.querySelector('#task-title')?.value || this.existing?.fields.title,
      capture: () => ({ photos: [...this.addedPhotos] }),
      restore: (extra) => {
        this.addedPhotos = [...(extra?.photos ?? [])];
        this.photoField?.set([...(this.existing?.fields.photos ?? []), ...this.addedPhotos]);
      },
    });
  }

  async render() {
    const id = this.params.id;
    this.existing = id ? await loadView('task', id) : null;
    if (id && !this.existing) {
      this.show(h('h1', { tabindex: '-1' }, t('task.edit')), h('p', { class: 'empty', testid: 'record-missing' }, t('record.missing')));
      return;
    }
    const fields = this.existing?.fields ?? { priority: 'normal', progress: 0 };
    const projects = this.app.session.memberships;
    const projectId = fields.project_id ?? projects[0]?.project_id;
    const [sections, members, tasks] = await Promise.all([
      loadViews('section'),
      projectId ? loadMembers(this.app.api, projectId) : [],
      loadViews('task'),
    ]);
    this.photoField?.destroy();
    this.photoField = new PhotoField(this.app, {
      id: 'task-photo',
      shas: [...(fields.photos ?? []), ...this.addedPhotos],
      onAdd: (sha) => {
        this.addedPhotos.push(sha);
        this.touch();
        this.photoField.set([...(this.existing?.fields.photos ?? []), ...this.addedPhotos]);
      },
    });

    this.form = h('form', {
      class: 'stack', novalidate: true, testid: 'task-form',
      oninput: () => {
        this.touch();
      },
      onsubmit: (event) => this.save(event),
    },
      projects.length > 1 && !this.existing
        ? this.select('project_id', t('field.project_id'), projects.map((p) => [p.project_id, p.project_name || p.project_code]), projectId)
        : null,
      FormField({ id: CONTROL_IDS.title, label: t('field.title'), control: this.input('title', fields.title, { required: true, maxlength: 200 }) }),
      FormField({
        id: CONTROL_IDS.description, label: t('field.description'),
        control: h('textarea', { id: CONTROL_IDS.description, name: 'description', testid: CONTROL_IDS.description, rows: 3, maxlength: 4000, value: fields.description ?? '' }),
      }),
      this.select('section_id', t('field.section_id'), [['', t('task.noSection')], ...sections
        .filter((section) => section.fields.project_id === projectId)
        .sort(byCode)
        .map((section) => [section.id, sectionLabel(section)])], fields.section_id ?? this.query.get('section') ?? ''),
      this.select('assignee_id', t('field.assignee_id'), withCurrent([['', t('task.unassigned')],
        ...members.map((member) => [member.user_id, member.name || member.username])], fields.assignee_id), fields.assignee_id ?? ''),
      FormField({ id: CONTROL_IDS.due_date, label: t('field.due_date'), control: this.input('due_date', fields.due_date, { type: 'date' }) }),
      // The plan the dashboard's schedule measures against (its Gantt and critical path).
      FormField({ id: CONTROL_IDS.planned_start, label: t('field.planned_start'), control: this.input('planned_start', fields.planned_start, { type: 'date' }) }),
      FormField({ id: CONTROL_IDS.planned_end, label: t('field.planned_end'), control: this.input('planned_end', fields.planned_end, { type: 'date' }) }),
      this.select('priority', t('field.priority'), TASK_PRIORITIES.map((p) => [p, t(`priority.${p}`)]), fields.priority ?? 'normal'),
      this.progressField(fields.progress ?? 0),
      this.dependencyField(tasks, projectId, fields.depends_on ?? []),
      h('div', { class: 'stack' }, h('h2', {}, t('field.photos')), this.photoField.element),
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'button button-primary', testid: 'task-save' }, t('common.save')),
        h('a', { class: 'button', href: this.existing ? `/r/task/${id}` : '/tasks', testid: 'task-cancel' }, t('common.cancel'))));

    this.rememberShown(this.formValues());
    const status = this.existing?.fields.status ?? initialState('task');
    this.show(
      h('header', { class: 'screen-header' }, h('h1', { tabindex: '-1' }, this.existing ? t('task.edit') : t('task.new'))),
      this.existing
        ? h('section', { class: 'stack', 'aria-labelledby': 'task-status-heading' },
          h('h2', { id: 'task-status-heading' }, t('field.status'), ': ', h('span', { class: `chip chip-${status}`, testid: 'task-status' }, stateLabel(status))),
          StatusActions(this.app, this.existing))
        : null,
      this.form,
      this.existing && may(rolesIn(this.app.session, this.existing.fields.project_id), 'task', 'delete', { isAuthor: isAuthorOf(this.app.session, this.existing) })
        ? ConfirmButton({
          label: t('task.delete'), confirmLabel: t('task.confirmDelete'), testid: 'task-delete',
          className: 'button button-danger button-block', onConfirm: () => this.remove(),
        })
        : null);
    await this.draft.attach(this.form);
  }

  /** A big-thumbed slider in steps of 5 beside the exact number; each follows the other. */
  progressField(value) {
    const number = this.input('progress', value, { type: 'number', min: 0, max: 100, step: 5, inputmode: 'numeric', class: 'progress-number' });
    const slider = h('input', {
      type: 'range', id: 'task-progress-slider', testid: 'task-progress-slider', min: 0, max: 100, step: 5,
      value: String(value), class: 'slider', 'aria-label': t('field.progress'),
      oninput: () => {
        number.value = slider.value;
      },
    });
    number.addEventListener('input', () => {
      slider.value = number.value;
    });
    const field = FormField({ id: CONTROL_IDS.progress, label: t('field.progress'), hint: t('task.progressHint'), control: number });
    const row = h('div', { class: 'slider-row' });
    number.before(row);
    row.append(slider, number, h('span', { 'aria-hidden': 'true' }, '%'));
    return field;
  }

  /** Other tasks of the project this one waits for, as checkboxes (open tasks first). */
  dependencyField(tasks, projectId, current) {
    const me = this.existing?.id;
    const candidates = tasks
      .filter((task) => task.id !== me && task.fields.project_id === projectId
        && !(task.fields.depends_on ?? []).includes(me)) // a task that waits for this one cannot be waited for
      .sort((a, b) => Number(['done', 'accepted'].includes(a.fields.status)) - Number(['done', 'accepted'].includes(b.fields.status))
        || recordTitle(a).localeCompare(recordTitle(b)));
    this.initialDependencies = new Set(current);
    const count = h('span', { class: 'count' }, ` (${current.length})`);
    const boxes = candidates.map((task) => h('li', {},
      h('label', { class: 'check-row' },
        h('input', {
          type: 'checkbox', name: 'depends_on', value: task.id, checked: current.includes(task.id),
          testid: 'task-dependency', dataset: { id: task.id },
          onchange: () => {
            count.textContent = ` (${this.form.querySelectorAll('input[name="depends_on"]:checked').length})`;
          },
        }),
        h('span', {}, userText(recordTitle(task)), ' ', h('span', { class: `chip chip-${task.fields.status ?? 'todo'}` }, stateLabel(task.fields.status ?? 'todo'))))));
    return h('details', { class: 'field dependencies', testid: 'task-depends-on', open: current.length > 0 },
      h('summary', {}, t('field.depends_on'), count),
      h('p', { class: 'hint' }, t('task.dependsHint')),
      boxes.length ? h('ul', { class: 'check-list' }, boxes) : h('p', { class: 'empty' }, t('task.noOtherTasks')));
  }

  input(name, value, attributes = {}) {
    const id = CONTROL_IDS[name];
    return h('input', { id, name, testid: id, value: value ?? '', ...attributes });
  }

  select(name, label, options, value) {
    const id = CONTROL_IDS[name];
    const control = h('select', { id, name, testid: id, value },
      options.map(([optionValue, text]) => h('option', { value: optionValue }, text)));
    return FormField({ id, label, control });
  }

  /** The form as task fields (an empty text is null). */
  formValues() {
    const data = new FormData(this.form);
    const text = (name) => String(data.get(name) ?? '').trim();
    return {
      title: text('title'),
      description: text('description') || null,
      section_id: text('section_id') || null,
      assignee_id: text('assignee_id') || null,
      due_date: text('due_date') || null,
      planned_start: text('planned_start') || null,
      planned_end: text('planned_end') || null,
      priority: text('priority') || 'normal',
      progress: Number(text('progress') || 0),
    };
  }

  /** Reads the form into task fields, or returns null after marking invalid fields. */
  readFields() {
    const values = this.formValues();
    const errors = {
      title: values.title ? '' : t('task.titleRequired'),
      progress: Number.isInteger(values.progress) && values.progress >= 0 && values.progress <= 100 ? '' : t('task.progressInvalid'),
      planned_end: values.planned_start && values.planned_end && values.planned_end < values.planned_start ? t('task.planInvalid') : '',
    };
    for (const [name, message] of Object.entries(errors)) setFieldError(this.form, CONTROL_IDS[name], message);
    if (Object.values(errors).some(Boolean)) {
      this.form.querySelector('[aria-invalid="true"]')?.focus();
      return null;
    }
    return values;
  }

  async save(event) {
    event.preventDefault();
    await photosSettled(event.submitter);
    const values = this.readFields();
    if (!values) return;
    const id = this.existing?.id ?? randomUuid();
    let fields;
    const checked = new Set(new FormData(this.form).getAll('depends_on'));
    const dependencies = {
      add: [...checked].filter((taskId) => !this.initialDependencies.has(taskId)),
      remove: [...this.initialDependencies].filter((taskId) => !checked.has(taskId)),
    };
    const sets = {};
    if (dependencies.add.length || dependencies.remove.length) sets.depends_on = dependencies;
    if (this.addedPhotos.length) sets.photos = { add: [...this.addedPhotos] };
    if (this.existing) {
      fields = { ...this.changedFields(values), ...sets }; // a default shown (priority "normal", progress 0) stays out
      if (Object.keys(fields).length === 0) {
        this.app.notify(t('task.noChanges'));
        return;
      }
    } else {
      const projectId = String(new FormData(this.form).get('project_id') ?? '') || this.app.session.memberships[0]?.project_id;
      fields = { project_id: projectId, ...Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null && value !== '')), ...sets };
    }
    await enqueue([{ op: 'put', type: 'task', id, fields }]);
    await this.draft.saved();
    this.dirty = false;
    this.addedPhotos = [];
    this.app.notify(navigator.onLine ? t('task.saved') : t('task.savedOffline'));
    this.app.router.navigate(`/r/task/${id}`, { replace: !this.existing });
  }

  async remove() {
    await enqueue([{ op: 'delete', type: 'task', id: this.existing.id }]);
    await this.draft.saved();
    this.dirty = false;
    this.app.notify(t('task.deleted'));
    this.app.router.navigate('/tasks', { replace: true });
  }
}

/** Keeps the current value selectable even when it is not among the options (e.g. a former member). */
function withCurrent(options, current) {
  return !current || options.some(([value]) => value === current) ? options : [...options, [current, String(current).slice(0, 8)]];
}
