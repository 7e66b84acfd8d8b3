/** The fields of a record as a definition list, with the testids the generic record page uses. */
import { h } from '../dom.js';
import { fieldLabel, formatFieldValue } from './record_text.js';

/** `names`: the fields to show, in order; empty values are left out. */
export function FieldList(view, names, nameOf, format = {}) {
  const shown = names.filter((name) => {
    const value = view.fields[name];
    return value != null && value !== '' && !(Array.isArray(value) && value.length === 0);
  });
  return h('dl', { class: 'fields', testid: 'record-detail' }, shown.map((name) => [
    h('dt', {}, fieldLabel(name)),
    h('dd', { testid: `record-field-${name}` }, format[name]?.(view.fields[name]) ?? formatFieldValue(name, view.fields[name], nameOf)),
  ]));
}
