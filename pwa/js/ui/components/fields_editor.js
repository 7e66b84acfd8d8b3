/**
 * Editor for the fields of a rejected mutation, so the user can correct and resend them. Text,
 * numbers, dates and states get their usual controls; a safety check's maps get one control per
 * item (a note box, a pass / fail / n.a. choice); photos are resent as they were and only counted.
 */
import { fieldKind, isPhotoField, RECORD_TYPES } from '../../sync/record_types.js';
import { h } from '../dom.js';
import { t, tOr } from '../i18n.js';
import { FormField, setFieldError } from './form_field.js';
import { fieldLabel, formatFieldValue, isSetChange, mapLines, stateLabel } from './record_text.js';

const DATE_VALUE = /^\d{4}-\d{2}-\d{2}$/;
const RESULTS = ['pass', 'fail', 'na'];

export class FieldsEditor {
  /** `fields`: the payload as sent; `type`: its record type (for field kinds); `itemName(code)` labels map entries. */
  constructor(type, fields, { itemName } = {}) {
    this.type = type;
    this.original = fields;
    this.itemName = itemName ?? ((code) => code);
    this.element = h('div', { class: 'stack', testid: 'fields-editor' },
      Object.entries(fields).map(([name, value]) => this.fieldFor(name, value)));
  }

  /** How a field is edited: 'photos' (kept as sent), 'entries' (one control per map entry), or 'single'. */
  editKind(name, value) {
    if (isPhotoField(name) && (Array.isArray(value) || isSetChange(value) || isPhotoMap(value))) return 'photos';
    if (fieldKind(this.type, name) === 'map' && isFlatMap(value)) return 'entries';
    return 'single';
  }

  fieldFor(name, value) {
    const id = `resend-field-${name}`;
    const kind = this.editKind(name, value);
    if (kind === 'photos') {
      const text = isPhotoMap(value) ? mapLines(name, value, { itemName: this.itemName }) : [formatFieldValue(name, value)];
      return h('div', { class: 'field' },
        h('p', { class: 'field-label' }, fieldLabel(name)),
        h('ul', { class: 'value-lines', testid: id }, text.map((line) => h('li', {}, line))),
        h('p', { class: 'hint' }, t('attention.photosKept')));
    }
    if (kind === 'entries') {
      return h('fieldset', { class: 'field map-field', testid: id },
        h('legend', {}, fieldLabel(name)),
        Object.entries(value).map(([key, item]) => this.entryControl(name, `${id}-${key}`, key, item)));
    }
    return this.singleControl(name, id, value);
  }

  /** One entry of a map: results as a choice, notes as text. */
  entryControl(name, id, key, value) {
    const label = this.itemName(key);
    if (name === 'results') {
      const options = RESULTS.includes(value) || value == null ? RESULTS : [value, ...RESULTS];
      const control = h('select', { id, name: id, testid: id, value: value ?? '' },
        value == null ? h('option', { value: '' }, '—') : null,
        options.map((result) => h('option', { value: result }, tOr(`result.${result}`, result))));
      return FormField({ id, label, control });
    }
    return FormField({ id, label, control: h('textarea', { id, name: id, testid: id, rows: 2, value: value ?? '' }) });
  }

  singleControl(name, id, value) {
    const structured = fieldKind(this.type, name) === 'set' || fieldKind(this.type, name) === 'map'
      || (value !== null && typeof value === 'object');
    let control;
    if (fieldKind(this.type, name) === 'state') {
      // A status is picked by its name, never typed as a code ("doing").
      const states = Object.keys(RECORD_TYPES[this.type]?.transitions ?? {});
      control = h('select', { id, name: id, testid: id, value },
        (states.includes(value) ? states : [value, ...states]).map((state) => h('option', { value: state }, stateLabel(state))));
    } else if (structured) {
      control = h('textarea', { id, name: id, testid: id, rows: 3, class: 'mono', value: JSON.stringify(value) });
    } else if (typeof value === 'number') {
      control = h('input', { id, name: id, testid: id, type: 'number', inputmode: 'decimal', value: String(value) });
    } else if (typeof value === 'string' && DATE_VALUE.test(value)) {
      control = h('input', { id, name: id, testid: id, type: 'date', value });
    } else if (typeof value === 'string' && value.length > 60) {
      control = h('textarea', { id, name: id, testid: id, rows: 4, value });
    } else {
      control = h('input', { id, name: id, testid: id, value: value ?? '' });
    }
    return FormField({ id, label: fieldLabel(name), control, hint: structured ? t('attention.jsonHint') : null });
  }

  /** The edited fields with their original types, or null after marking fields that do not parse. */
  read() {
    const fields = {};
    let valid = true;
    const control = (id) => this.element.querySelector(`#${CSS.escape(id)}`);
    for (const [name, original] of Object.entries(this.original)) {
      const id = `resend-field-${name}`;
      const kind = this.editKind(name, original);
      if (kind === 'photos') {
        fields[name] = original;
        continue;
      }
      if (kind === 'entries') {
        // An emptied note or choice is sent as null: the server then forgets that item's entry.
        fields[name] = Object.fromEntries(Object.keys(original).map((key) => [key, control(`${id}-${key}`).value || null]));
        continue;
      }
      try {
        fields[name] = parseAs(original, control(id).value, fieldKind(this.type, name));
        setFieldError(this.element, id, '');
      } catch {
        setFieldError(this.element, id, t('attention.unreadableValue'));
        valid = false;
      }
    }
    return valid ? fields : null;
  }
}

/** A map whose entries are each text, a code or null (notes, results). */
function isFlatMap(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    && Object.values(value).every((item) => item === null || typeof item === 'string');
}

/** A map of photo lists (item_photos: item code → sha256 names). */
function isPhotoMap(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !isSetChange(value)
    && Object.values(value).every((item) => item === null || Array.isArray(item));
}

/** Turns the text typed back into the type the original value had. */
function parseAs(original, raw, kind) {
  if (kind === 'set' || kind === 'map' || (original !== null && typeof original === 'object')) return JSON.parse(raw);
  if (typeof original === 'number') {
    const number = Number(raw);
    if (raw.trim() === '' || Number.isNaN(number)) throw new Error('not a number');
    return number;
  }
  return raw === '' && original === null ? null : raw;
}
