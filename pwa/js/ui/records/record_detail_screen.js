/** One record (deep link /r/<type>/<id>): every field, its status actions, photos, and its history when online. */
import { loadView, loadViews } from '../../sync/local_view.js';
import { enqueue } from '../../sync/outbox.js';
import { isAuthorOf, may, rolesIn } from '../../sync/permissions.js';
import { taskProgress } from '../../sync/progress.js';
import { RECORD_TYPES } from '../../sync/record_types.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { loadNameDirectory } from '../components/name_directory.js';
import { PhotoField } from '../components/photo_field.js';
import { PhotoStrip } from '../components/photo_strip.js';
import { PhotoFacts, loadPhotoMetas } from '../components/photo_facts.js';
import { RecordHistory, lastChange } from './record_history.js';
import { fieldLabel, formatFieldValue, recordTitle, stateLabel, typeLabel } from '../components/record_text.js';
import { Screen } from '../screen.js';
import { StatusActions } from '../components/status_actions.js';
import { localToday } from '../home/home_sections.js';
import { OverdueChip } from '../tasks/task_overdue.js';
import { ActionDoneControl, RectificationEvidence } from '../safety/action_done.js';
import { PinnedOn } from '../documents/pinned_on.js';
import { loadVersionLabel } from '../documents/document_data.js';

export class RecordDetailScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.historyPanel = new RecordHistory(this.app, this.params.type, this.params.id, () => this.scheduleRender());
    this.photos = null; // PhotoField or PhotoStrip, kept across redraws
    this.evidence = {}; // an action's before / after PhotoStrips, kept across redraws
    this.refreshOn('records');
    this.onDestroy(() => {
      this.photos?.destroy();
      this.evidence.before?.destroy();
      this.evidence.after?.destroy();
    });
  }

  async render() {
    const { type, id } = this.params;
    const [view, nameOf] = await Promise.all([loadView(type, id), loadNameDirectory(this.app)]);
    if (!view) {
      this.show(
        h('h1', { tabindex: '-1' }, typeLabel(type)),
        h('p', { class: 'empty', testid: 'record-missing' }, t('record.missing')));
      return;
    }
    const titles = view.fields.depends_on?.length ? await taskTitles() : new Map();
    const refs = await referencedRecords(view);
    // The history names the same records by title, never by id.
    this.historyPanel.format = Object.fromEntries([...refs.keys()].map((name) => [name, (value) => refs.get(name).titleOf(value)]));
    const status = view.fields.status;
    const mayEdit = may(rolesIn(this.app.session, view.fields.project_id), type, 'edit', { isAuthor: isAuthorOf(this.app.session, view) });
    const hasPhotos = Boolean(RECORD_TYPES[type]?.fields.photos);
    const photoMeta = hasPhotos && view.fields.photos?.length ? await loadPhotoMetas() : new Map();
    // Filled once the pins are read, so the record itself draws as soon as before.
    const pinned = h('div', { testid: 'pinned-on-box', hidden: true });
    PinnedOn(id).then((links) => {
      if (!links) return;
      pinned.replaceChildren(links);
      pinned.hidden = false;
    });
    this.show(
      h('header', { class: 'screen-header' },
        h('p', { class: 'eyebrow' }, typeLabel(type)),
        h('h1', { tabindex: '-1' }, recordTitle(view)),
        h('p', { class: 'record-tags' },
          status ? h('span', { class: `chip chip-${status}`, testid: 'record-status' }, stateLabel(status)) : null,
          type === 'task' ? OverdueChip(view, localToday()) : null,
          view.pending ? h('span', { class: 'chip chip-pending', testid: 'record-pending' }, t('record.notSynced')) : null)),
      StatusActions(this.app, view, type === 'action'
        ? { custom: { done: () => ActionDoneControl(this.app, view, () => this.scheduleRender()) } } : {}),
      type === 'action'
        ? RectificationEvidence(this.app, view, view.fields.check_id ? await loadView('safety_check', view.fields.check_id) : null, this.evidence)
        : null,
      type === 'task' && mayEdit ? h('a', { class: 'button button-block', href: `/r/task/${id}/edit`, testid: 'edit-record' }, t('record.edit')) : null,
      pinned,
      h('dl', { class: 'fields', testid: 'record-detail' }, orderedFields(view)
        .filter((name) => !(name === 'subject_type' && refs.has('subject_id'))) // said by the subject's own line
        .filter((name) => !(hasPhotos && name === 'photos')) // shown once, under their own heading below
        .map((name) => [
          h('dt', {}, fieldLabel(name)),
          h('dd', { testid: `record-field-${name}` }, this.fieldValue(view, name, nameOf, titles, refs)),
        ])),
      hasPhotos && type !== 'action' && (mayEdit || view.fields.photos?.length) ? this.photoSection(view, mayEdit, photoMeta) : null,
      view.updatedAt ? h('p', { class: 'muted' }, lastChange(view, nameOf)) : null,
      this.historyPanel.element(nameOf));
    this.historyPanel.load(view.serverSeq);
  }

  /** A field's value; dependencies by task title, another record (a check, a subject) as a link with its title. */
  fieldValue(view, name, nameOf, titles, refs) {
    const value = view.fields[name];
    if (name === 'depends_on') return (value ?? []).map((taskId) => titles.get(taskId) ?? taskId.slice(0, 8)).join('、') || '—';
    if (name === 'progress' && view.type === 'task') return `${taskProgress(view.fields)}%`;
    if (refs.has(name) && value) {
      const ref = refs.get(name);
      return h('a', { href: `/r/${ref.type}/${value}`, testid: 'record-link' }, ref.titleOf(value));
    }
    if (name === 'section_id' && value) return h('a', { href: `/r/section/${value}` }, formatFieldValue(name, value, nameOf));
    return formatFieldValue(name, value, nameOf);
  }

  /**
   * The record's photos, with when and where each was taken; people who may edit it can add one
   * at once (the photo uploads when it can).
   */
  photoSection(view, mayEdit, photoMeta) {
    if (!this.photos) {
      this.photos = mayEdit
        ? new PhotoField(this.app, {
          id: 'record-photo', label: t('photo.add'),
          onAdd: (sha) => enqueue([{ op: 'put', type: view.type, id: view.id, fields: { photos: { add: [sha] } } }]),
        })
        : new PhotoStrip(this.app, { testid: 'record-photo-list' });
    }
    this.photos.set(view.fields.photos ?? [], [...photoMeta].filter(([, meta]) => meta.derived_from).map(([sha]) => sha));
    return h('section', { class: 'stack', 'aria-labelledby': 'photos-heading' },
      h('h2', { id: 'photos-heading' }, fieldLabel('photos')),
      this.photos.element,
      PhotoFacts(view.fields.photos ?? [], photoMeta));
  }
}

/**
 * The records a record is about (an action's check, an approval's subject), by field name:
 * `{type, titleOf(id)}`, the title "Safety check 3 May" or, when this phone does not hold the
 * record, its type ("a safety check") rather than its id.
 */
async function referencedRecords(view) {
  const wanted = [];
  if (view.fields.check_id) wanted.push(['check_id', 'safety_check', view.fields.check_id]);
  if (view.fields.subject_id && RECORD_TYPES[view.fields.subject_type]) {
    wanted.push(['subject_id', view.fields.subject_type, view.fields.subject_id]);
  }
  const found = await Promise.all(wanted.map(([, type, id]) => loadView(type, id)));
  // A version is named by its document and revision (a change order's approval is about one).
  const titles = await Promise.all(found.map((record) => (record?.type === 'document_version'
    ? loadVersionLabel(record) : record ? recordTitle(record) : null)));
  return new Map(wanted.map(([name, type, id], i) => {
    const title = titles[i];
    return [name, { type, titleOf: (value) => (value === id && title ? title : t('record.unknownRecord', { type: typeLabel(type) })) }];
  }));
}

/** Task titles by id, to name dependencies. */
async function taskTitles() {
  return new Map((await loadViews('task')).map((task) => [task.id, recordTitle(task)]));
}

/** The type's known fields in declared order, then any the server added. */
function orderedFields(view) {
  const known = Object.keys(RECORD_TYPES[view.type]?.fields ?? {});
  const present = Object.keys(view.fields);
  return [...known.filter((name) => present.includes(name)), ...present.filter((name) => !known.includes(name))];
}
