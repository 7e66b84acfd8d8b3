/**
 * Checklist templates of the project: the built-ins and the admins' own. Admins add one with a
 * plain form (code, names, one item per line) and can retire or bring back a template.
 */
import { randomUuid } from '../../db/random_uuid.js';
import { loadViews } from '../../sync/local_view.js';
import { enqueue } from '../../sync/outbox.js';
import { may, rolesIn } from '../../sync/permissions.js';
import { itemText, templateName } from './checklist_text.js';
import { ConfirmButton } from '../components/confirm_button.js';
import { h } from '../dom.js';
import { FormDraft } from '../components/form_draft.js';
import { InputField, TextareaField, setFieldError } from '../components/form_field.js';
import { t } from '../i18n.js';
import { Screen } from '../screen.js';

const CODE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const MAX_ITEMS = 100;

/** `/checklists`: every template with its items (collapsed). */
export class ChecklistListScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.refreshOn('records');
  }

  async render() {
    const projectId = this.app.session.memberships[0]?.project_id;
    const roles = rolesIn(this.app.session, projectId);
    const templates = (await loadViews('checklist')).filter((template) => template.fields.project_id === projectId)
      .sort((a, b) => Number(Boolean(b.fields.builtin)) - Number(Boolean(a.fields.builtin)) || templateName(a).localeCompare(templateName(b)));
    const admin = may(roles, 'checklist', 'edit');
    this.show(
      h('header', { class: 'screen-header' }, h('h1', { tabindex: '-1' }, t('checklists.title'))),
      may(roles, 'checklist', 'create') ? h('a', { class: 'button button-primary button-block', href: '/checklists/new', testid: 'new-checklist' }, t('checklists.new')) : null,
      h('ul', { class: 'card-list', testid: 'checklist-list' }, templates.map((template) => {
        const active = template.fields.active !== false;
        return h('li', { class: `card ${active ? '' : 'is-retired'}`, testid: 'checklist-item', dataset: { code: template.fields.code ?? '' } },
          h('details', {},
            h('summary', {}, h('strong', {}, templateName(template)), ' ',
              h('span', { class: 'muted' }, t('checks.items', { count: (template.fields.items ?? []).length }))),
            h('ol', { class: 'item-lines' }, (template.fields.items ?? []).map((item) => h('li', {}, h('span', { class: 'muted' }, item.code), ' ', itemText(item)))),
            // Retiring hides a template from new checks (old checks keep it): a second tap confirms.
            admin ? ConfirmButton({
              label: active ? t('checklists.retire') : t('checklists.activate'),
              confirmLabel: t('checklists.confirm'), testid: 'checklist-toggle', className: 'button button-block',
              onConfirm: async () => {
                await enqueue([{ op: 'put', type: 'checklist', id: template.id, fields: { active: !active } }]);
                this.app.notify(active ? t('checklists.retiredNow') : t('checklists.activeNow'));
              },
            }) : null),
          h('p', { class: 'record-tags' },
            template.fields.builtin ? h('span', { class: 'chip' }, t('checklists.builtin')) : null,
            active ? null : h('span', { class: 'chip chip-rejected' }, t('checklists.retired')),
            template.pending ? h('span', { class: 'chip chip-pending', testid: 'record-pending' }, t('record.notSynced')) : null));
      })));
  }
}

/** `/checklists/new`: a template from a code, names and one item per line ("text | English text"). */
export class ChecklistFormScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.draft = new FormDraft(this, { heading: 'checklists.new', summary: () => this.form?.querySelector('#checklist-name')?.value });
  }

  async render() {
    const membership = this.app.session.memberships.find((m) => may(m.roles, 'checklist', 'create'));
    if (!membership) {
      this.show(h('h1', { tabindex: '-1' }, t('checklists.new')), h('p', { class: 'notice', testid: 'not-allowed' }, t('checklists.notAllowed')));
      return;
    }
    this.projectId = membership.project_id;
    this.form = h('form', {
      class: 'stack', novalidate: true, testid: 'checklist-form',
      oninput: () => {
        this.touch();
      },
      onsubmit: (event) => this.save(event),
    },
    InputField({ id: 'checklist-code', name: 'code', label: t('field.code'), hint: t('checklists.codeHint'), maxlength: 64, autocomplete: 'off', autocapitalize: 'none' }),
    InputField({ id: 'checklist-name', name: 'name', label: t('checklists.nameZh'), maxlength: 200 }),
    InputField({ id: 'checklist-name-en', name: 'name_en', label: t('checklists.nameEn'), maxlength: 200 }),
    TextareaField({ id: 'checklist-items', name: 'items', label: t('checklists.items'), hint: t('checklists.itemsHint'), rows: 8 }),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'button button-primary', testid: 'checklist-save' }, t('common.save')),
      h('a', { class: 'button', href: '/checklists', testid: 'checklist-cancel' }, t('common.cancel'))));
    this.show(h('header', { class: 'screen-header' }, h('h1', { tabindex: '-1' }, t('checklists.new'))), this.form);
    await this.draft.attach(this.form);
  }

  async save(event) {
    event.preventDefault();
    const data = new FormData(this.form);
    const text = (name) => String(data.get(name) ?? '').trim();
    const code = text('code').toLowerCase();
    const items = parseItems(code, text('items'));
    const taken = (await loadViews('checklist')).some((template) => template.fields.project_id === this.projectId && template.fields.code === code);
    const errors = {
      'checklist-code': !CODE.test(code) ? t('checklists.codeInvalid') : taken ? t('checklists.codeTaken') : '',
      'checklist-name': text('name') ? '' : t('sections.nameRequired'),
      'checklist-items': items.length === 0 ? t('checklists.itemsRequired') : items.length > MAX_ITEMS ? t('checklists.tooManyItems', { max: MAX_ITEMS }) : '',
    };
    for (const [id, message] of Object.entries(errors)) setFieldError(this.form, id, message);
    if (Object.values(errors).some(Boolean)) {
      this.form.querySelector('[aria-invalid="true"]')?.focus();
      return;
    }
    const fields = { project_id: this.projectId, code, name: text('name'), items, builtin: false, active: true };
    if (text('name_en')) fields.name_en = text('name_en');
    await enqueue([{ op: 'put', type: 'checklist', id: randomUuid(), fields }]);
    await this.draft.saved();
    this.dirty = false;
    this.app.notify(t('checklists.saved'));
    this.app.router.navigate('/checklists', { replace: true });
  }
}

/** One item per non-empty line, "text | English text"; codes from the template code: CRANE01, CRANE02, … */
export function parseItems(code, lines) {
  const prefix = code.toUpperCase().replace(/[^A-Z0-9_-]/g, '').slice(0, 60) || 'ITEM';
  return lines.split('\n').map((line) => line.trim()).filter(Boolean).map((line, i) => {
    const [textZh, textEn] = line.split('|').map((part) => part.trim());
    const item = { code: `${prefix}${String(i + 1).padStart(2, '0')}`, text: (textZh || textEn).slice(0, 300) };
    if (textEn) item.text_en = textEn.slice(0, 300);
    return item;
  });
}
