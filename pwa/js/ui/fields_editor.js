/** Editor for the fields of a rejected mutation, so the user can correct and resend them. */
import { fieldKind, RECORD_TYPES } from '../sync/record_types.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { FormField, setFieldError } from './form_field.js';
import { fieldLabel, stateLabel } from './record_text.js';

const DATE_VALUE = /^\d{4}-\d{2}-\d{2}$/;

export class FieldsEditor {
  /** `fields`: the payload as sent; `type`: its record type (for field kinds). */
  constructor(type, fields) {
    this.type = type;
    this.original = fields;
    this.element = h('div', { class: 'stack', testid: 'fields-editor' },
      Object.entries(fields).map(([name, value]) => this.fieldFor(name, value)));
  }

  fieldFor(name, value) {
    const id = `resend-field-${name}`;
    const structured = fieldKind(this.type, name) === 'set' || fieldKind(this.type, name) === 'map'
      || (value !== null && typeof value === 'object');
    let control;
    if (fieldKind(this.type, name) === 'state') {
      // A status is picked by its name, never typed as a code ("doing").
      const states = Object.keys(RECORD_TYPES[this.type]?.transitions ?? {});
      control = h('select', { id, testid: id, value },
        (states.includes(value) ? states : [value, ...states]).map((state) => h('option', { value: state }, stateLabel(state))));
    } else if (structured) {
      control = h('textarea', { id, testid: id, rows: 3, class: 'mono', value: JSON.stringify(value) });
    } else if (typeof value === 'number') {
      control = h('input', { id, testid: id, type: 'number', inputmode: 'decimal', value: String(value) });
    } else if (typeof value === 'string' && DATE_VALUE.test(value)) {
      control = h('input', { id, testid: id, type: 'date', value });
    } else if (typeof value === 'string' && value.length > 60) {
      control = h('textarea', { id, testid: id, rows: 4, value });
    } else {
      control = h('input', { id, testid: id, value: value ?? '' });
    }
    return FormField({ id, label: fieldLabel(name), control, hint: structured ? t('attention.jsonHint') : null });
  }

  /** The edited fields with their original types, or null after marking fields that do not parse. */
  read() {
    const fields = {};
    let valid = true;
    for (const [name, original] of Object.entries(this.original)) {
      const id = `resend-field-${name}`;
      const raw = this.element.querySelector(`#${CSS.escape(id)}`).value;
      let value;
      try {
        value = parseAs(original, raw, fieldKind(this.type, name));
        setFieldError(this.element, id, '');
      } catch {
        setFieldError(this.element, id, t('attention.unreadableValue'));
        valid = false;
        continue;
      }
      fields[name] = value;
    }
    return valid ? fields : null;
  }
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
