/**
 * Records pinned on a drawing: markers on the page coloured by their record's state (tapping one
 * opens the record), and below the drawing the list of this page's pins, with "placed on rev. A"
 * for pins placed on an older version and a way to move them, and the control that pins a record.
 */
import { randomUuid } from '../../db/random_uuid.js';
import { loadViews } from '../../sync/local_view.js';
import { enqueue } from '../../sync/outbox.js';
import { recordTitle, stateLabel, typeLabel } from '../components/record_text.js';
import { SelectField } from '../components/form_field.js';
import { h, userText } from '../dom.js';
import { t } from '../i18n.js';
import { stateGroup } from './document_data.js';

const PINNED_TYPES = ['task', 'feedback', 'safety_check', 'action'];
const FINISHED = new Set(['accepted', 'closed', 'verified']);

/** Every record of the pinnable types in the project, by id. */
export async function pinnableRecords(projectId) {
  const lists = await Promise.all(PINNED_TYPES.map(loadViews));
  return new Map(lists.flat().filter((view) => view.fields.project_id === projectId).map((view) => [view.id, view]));
}

const round = (value) => Math.round(value * 10_000) / 10_000;

export class PinLayer {
  constructor(screen) {
    this.screen = screen;
    this.placing = null; // {subject_type, subject_id} to pin, or {pinId} to move, at the next tap
    this.markers = h('div', { class: 'pin-layer' });
    this.element = h('section', { class: 'stack pin-panel', testid: 'pin-panel' });
  }

  update({ version, versions, pins, page, candidates, mayPin, mayMove }) {
    this.state = { version, versions, page };
    const revisionOf = (id) => versions.find((v) => v.id === id)?.fields.revision ?? '?';
    const onPage = pins.filter((pin) => (pin.fields.page ?? 1) === page);
    const described = onPage.map((pin) => {
      const subject = candidates.get(pin.fields.subject_id);
      const status = subject?.fields.status;
      const elsewhere = pin.fields.version_id !== version.id ? revisionOf(pin.fields.version_id) : null;
      return { pin, subject, status, group: stateGroup(status), elsewhere,
        label: subject ? recordTitle(subject) : typeLabel(pin.fields.subject_type) };
    });
    this.markers.replaceChildren(...described.map(({ pin, group, elsewhere, label }) => {
      const marker = h('a', {
        class: `pin-marker pin-${group} ${elsewhere ? 'pin-elsewhere' : ''}`, href: `/r/${pin.fields.subject_type}/${pin.fields.subject_id}`,
        testid: 'pin-marker', 'aria-label': elsewhere ? `${label} (${t('documents.placedOn', { revision: elsewhere })})` : label,
        dataset: { id: pin.id, subject: pin.fields.subject_id, group },
        onclick: (event) => event.stopPropagation(),
      });
      // Set through the CSSOM: the content security policy refuses style attributes.
      marker.style.left = `${pin.fields.x * 100}%`;
      marker.style.top = `${pin.fields.y * 100}%`;
      return marker;
    }));
    const open = [...candidates.values()].filter((view) => !FINISHED.has(view.fields.status) && !pins.some((pin) => pin.fields.subject_id === view.id));
    // replaceChildren would write a skipped (null) part as the text "null".
    this.element.replaceChildren(...[
      h('h2', {}, t('documents.pins', { count: described.length })),
      this.placing ? h('p', { class: 'banner banner-info', role: 'status', testid: 'pin-placing' },
        t(this.placing.pinId ? 'documents.tapToMove' : 'documents.tapToPlace'), ' ',
        h('button', { type: 'button', class: 'button', onclick: () => { this.placing = null; this.screen.render(); } }, t('common.cancel'))) : null,
      described.length ? h('ul', { class: 'card-list', testid: 'pin-list' }, described.map(({ pin, status, group, elsewhere, label, subject }) => h('li', { class: 'card pin-row', testid: 'pin-row', dataset: { id: pin.id } },
        h('span', { class: `pin-dot pin-${group}`, 'aria-hidden': 'true' }),
        h('a', { href: `/r/${pin.fields.subject_type}/${pin.fields.subject_id}`, testid: 'pin-open' }, `${typeLabel(pin.fields.subject_type)}: `, subject ? userText(label) : label),
        subject && status ? h('span', { class: `chip chip-${status}` }, stateLabel(status)) : null,
        elsewhere ? h('span', { class: 'chip chip-superseded', testid: 'pin-placed-on' }, t('documents.placedOn', { revision: elsewhere })) : null,
        mayMove ? h('button', { type: 'button', class: 'button', testid: 'pin-move', onclick: () => { this.placing = { pinId: pin.id }; this.screen.render(); } },
          t(elsewhere ? 'documents.moveToThis' : 'documents.move')) : null))) : h('p', { class: 'hint' }, t('documents.noPins')),
      mayPin && open.length ? h('div', { class: 'stack pin-add' },
        SelectField({
          id: 'pin-subject', label: t('documents.pinRecord'), value: '',
          options: [['', t('documents.pinChoose')], ...open.map((view) => [`${view.type}:${view.id}`, `${typeLabel(view.type)}: ${recordTitle(view)}`])],
          onchange: (event) => {
            const [subjectType, subjectId] = event.target.value.split(':');
            this.placing = subjectId ? { subject_type: subjectType, subject_id: subjectId } : null;
            this.screen.render();
          },
        })) : null,
    ].filter(Boolean));
    const select = this.element.querySelector('#pin-subject');
    if (select && this.placing?.subject_id) select.value = `${this.placing.subject_type}:${this.placing.subject_id}`;
  }

  /** A tap on the page: places the record chosen, or moves the pin chosen, to that point. */
  async tapped(event) {
    if (!this.placing) return;
    const rect = event.currentTarget.getBoundingClientRect();
    const x = round(Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width)));
    const y = round(Math.min(1, Math.max(0, (event.clientY - rect.top) / rect.height)));
    const { version, page } = this.state;
    const placing = this.placing;
    this.placing = null;
    // Moving puts the pin on the version shown (the current one): "placed on rev. A" goes away.
    const where = { version_id: version.id, page, x, y };
    if (placing.pinId) await enqueue([{ op: 'put', type: 'pin', id: placing.pinId, fields: where }]);
    else {
      await enqueue([{ op: 'put', type: 'pin', id: randomUuid(), fields: {
        project_id: version.fields.project_id, document_id: version.fields.document_id, ...where,
        subject_type: placing.subject_type, subject_id: placing.subject_id } }]);
    }
  }
}
