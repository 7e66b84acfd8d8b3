/**
 * "Needs attention": changes the server rejected, with the reason, what was typed, and what to do.
 * Values read as on the record's own page: a map of item notes as "item: note" lines, photos as
 * how many, never as JSON or photo names. A correction being typed is kept as a draft (keyed by
 * the entry, at `/attention?edit=<key>`), so a reload opens the editor again with it.
 */
import { removeDraft } from '../../db/drafts.js';
import { REJECTED, readInbox } from '../../db/inbox.js';
import { dismissEntry } from '../../sync/inbox_sync.js';
import { loadView } from '../../sync/local_view.js';
import { enqueue } from '../../sync/outbox.js';
import { itemText, loadChecklists, templateOf } from '../safety/checklist_text.js';
import { ConfirmButton } from '../components/confirm_button.js';
import { h } from '../dom.js';
import { currentLocale, formatDateTime, t, tOr } from '../i18n.js';
import { FieldsEditor } from '../components/fields_editor.js';
import { FormDraft } from '../components/form_draft.js';
import { fieldLabel, formatFieldValue, isSetChange, mapEntries, recordTitle, stateLabel, typeLabel } from '../components/record_text.js';
import { loadNameDirectory } from '../components/name_directory.js';
import { Screen } from '../screen.js';

/** Where a correction's draft is kept, and the page that opens its editor. */
export function editRoute(key) {
  return `/attention?edit=${encodeURIComponent(key)}`;
}

export class AttentionScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.editing = null; // key of the entry open in the editor
    this.refreshOn('inbox');
  }

  isDirty() {
    return this.editing !== null;
  }

  async render() {
    if (this.editing) return; // do not redraw under the user's fingers
    const entries = await readInbox(REJECTED);
    const [titles, nameOf] = await Promise.all([
      Promise.all(entries.map((entry) => loadView(entry.type, entry.record_id))), loadNameDirectory(this.app)]);
    this.nameOf = nameOf;
    this.itemNames = await Promise.all(entries.map((entry, i) => itemNamer(entry, titles[i])));
    const cards = entries.map((entry, i) => this.card(entry, titles[i], this.itemNames[i]));
    this.show(
      h('header', { class: 'screen-header' },
        h('h1', { tabindex: '-1' }, t('attention.title')),
        h('p', { class: 'muted' }, t('attention.intro'))),
      entries.length === 0
        ? h('p', { class: 'empty', testid: 'attention-empty' }, t('attention.empty'))
        : h('ul', { class: 'card-list', testid: 'attention-list' }, cards));
    // Opened at an entry's editor (a reload, or a draft's link on home): the editor again.
    const asked = this.query.get('edit');
    if (asked !== null && !this.openedFromQuery) {
      this.openedFromQuery = true;
      const index = entries.findIndex((entry) => entry.key === asked);
      if (index >= 0) await this.openEditor(entries[index], cards[index], this.itemNames[index]);
      else {
        // The entry was resent or discarded elsewhere: its correction has nothing left to correct.
        history.replaceState(history.state, '', '/attention');
        await this.forgetDraft(asked);
      }
    }
  }

  card(entry, view, itemName) {
    const error = entry.error ?? {};
    const fieldErrors = Object.entries(error.fields ?? {});
    // The server explains in English only: other languages get the localized reason and the field names.
    const serverText = currentLocale() === 'en';
    const item = h('li', { class: 'card', testid: 'attention-item', dataset: { key: entry.key, mid: String(entry.mid ?? '') } },
      h('h2', {}, t(entry.op === 'delete' ? 'attention.deleteOf' : 'attention.changeTo', {
        type: typeLabel(entry.type),
        // A refused new record is not on the phone: its title is in the change itself.
        title: recordTitle(view ?? { type: entry.type, id: entry.record_id, fields: entry.fields ?? {} }),
      })),
      h('p', { class: 'reason', testid: 'attention-reason', dataset: { code: error.code ?? '' } },
        tOr(`rejection.${error.code}`, t('rejection.other'))),
      DecidedFirst(entry, view, this.nameOf),
      fieldErrors.length
        ? h('ul', { class: 'field-errors', testid: 'attention-field-errors' }, fieldErrors.map(([name, messages]) =>
          h('li', {}, serverText ? `${fieldLabel(name)}: ${[messages].flat().join(', ')}` : fieldLabel(name))))
        : null,
      error.message && serverText ? h('p', { class: 'muted' }, error.message) : null,
      entry.op !== 'delete'
        ? h('dl', { class: 'fields', testid: 'attention-fields' }, Object.entries(entry.fields ?? {}).map(([name, value]) => {
          // A map (one entry per checklist item) takes the card's width under its label.
          const map = isMap(value);
          return [
            h('dt', { class: map ? 'wide' : null }, fieldLabel(name)),
            h('dd', { class: map ? 'wide' : null, testid: `attention-field-${name}` }, map ? MapValue(name, value, itemName) : formatFieldValue(name, value)),
          ];
        }))
        : null,
      entry.created_at ? h('p', { class: 'muted' }, formatDateTime(entry.created_at)) : null,
      h('div', { class: 'card-actions' },
        h('button', { type: 'button', class: 'button button-primary', testid: 'attention-edit', onclick: () => this.openEditor(entry, item, itemName) },
          entry.op === 'delete' ? t('attention.resend') : t('attention.editAndResend')),
        ConfirmButton({
          label: t('attention.discard'), confirmLabel: t('attention.discardConfirm'), testid: 'attention-discard',
          onConfirm: () => this.discard(entry),
        })));
    return item;
  }

  async openEditor(entry, item, itemName) {
    this.editing = entry.key;
    const route = editRoute(entry.key);
    // The address names the open editor, so a reload comes back to it.
    if (`${location.pathname}${location.search}` !== route) history.replaceState(history.state, '', route);
    this.draft = new FormDraft(this, {
      heading: 'attention.editDraft', route,
      summary: () => item.querySelector('h2')?.textContent ?? '',
    });
    const editor = new FieldsEditor(entry.type, entry.op === 'delete' ? {} : entry.fields ?? {}, { itemName });
    const form = h('form', {
      class: 'stack', testid: 'attention-editor',
      onsubmit: (event) => {
        event.preventDefault();
        const fields = editor.read();
        if (fields) this.resend(entry, fields);
      },
    },
      editor.element,
      h('div', { class: 'card-actions' },
        h('button', { type: 'submit', class: 'button button-primary', testid: 'attention-resend' }, t('attention.resend')),
        h('button', { type: 'button', class: 'button', testid: 'attention-cancel', onclick: () => this.closeEditor() }, t('common.cancel'))));
    item.querySelector('.card-actions').replaceWith(form);
    form.querySelector('input, textarea, select, button')?.focus();
    await this.draft.attach(form);
  }

  /** Leaves the editor (resent or cancelled): its draft goes with it. */
  async closeEditor() {
    await this.draft?.saved();
    this.draft = null;
    this.dirty = false;
    this.editing = null;
    if (this.query.get('edit') !== null || location.search) history.replaceState(history.state, '', '/attention');
    this.render();
  }

  /** Queues the corrected change as a new mutation, then dismisses the rejected one. */
  async resend(entry, fields) {
    const draft = entry.op === 'delete'
      ? { op: 'delete', type: entry.type, id: entry.record_id }
      : { op: 'put', type: entry.type, id: entry.record_id, fields };
    await enqueue([draft]);
    await dismissEntry(this.app.api, REJECTED, entry);
    this.app.notify(t('attention.resent'));
    this.closeEditor();
  }

  forgetDraft(key) {
    const userId = this.app.session.user?.id;
    return userId ? removeDraft(userId, editRoute(key)) : Promise.resolve();
  }

  async discard(entry) {
    await this.forgetDraft(entry.key);
    await dismissEntry(this.app.api, REJECTED, entry);
    this.app.notify(t('attention.discarded'));
  }
}

/**
 * A decision made offline that another phone made first the other way: what won and by whom
 * ("陈明 decided this first: approved"), read from the approval as it now stands.
 */
function DecidedFirst(entry, view, nameOf) {
  const decided = view?.fields.status;
  if (entry.type !== 'approval' || entry.error?.code !== 'invalid_transition' || !entry.fields?.status || !decided || decided === 'pending') return null;
  const name = view.updatedBy ? nameOf(view.updatedBy) : null;
  return h('p', { class: 'reason', testid: 'attention-decided-first', dataset: { state: decided } },
    name ? t('rejection.decidedFirst', { name, state: stateLabel(decided) }) : t('rejection.decidedFirstNoName', { state: stateLabel(decided) }));
}

function isMap(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !isSetChange(value) && Object.keys(value).length > 0;
}

/** A map keyed by checklist item: per entry the item, then its note, result or number of photos. */
function MapValue(name, value, itemName) {
  return h('ul', { class: 'value-lines' }, mapEntries(name, value, { itemName }).map(({ key, label, text }) =>
    h('li', { dataset: { key } }, h('span', { class: 'value-key' }, label), ' ', h('span', {}, text))));
}

/**
 * `itemName(code)` for a safety check's change: "EX02 <item text>" from the checklist the check
 * was made from (the change's own fields first, as a refused new check is not on the phone).
 */
async function itemNamer(entry, view) {
  if (entry.type !== 'safety_check') return undefined;
  const fields = { ...view?.fields, ...entry.fields };
  if (!fields.project_id || !fields.template) return undefined;
  const template = templateOf({ fields }, await loadChecklists(fields.project_id, { all: true }));
  const items = template?.fields.items ?? [];
  return (code) => {
    const item = items.find((candidate) => candidate.code === code);
    return item ? `${code} ${itemText(item)}` : code;
  };
}
