/** Human-readable text for records: titles, field labels and field values. */
import { RECORD_TYPES, isPhotoField } from '../../sync/record_types.js';
import { formatDate, formatDateTime, t, tOr } from '../i18n.js';

const DATE_FIELDS = new Set(['date', 'due_date', 'planned_start', 'planned_end', 'deadline']);
const TIME_FIELDS = new Set(['response_due']);
/** Fields whose values are codes with their own translations (`<field>.<value>`). */
const CODED_FIELDS = new Set(['priority', 'category', 'channel', 'kind', 'level', 'result']);

/** A record's title from its type's title fields, else its type and a short id. */
export function recordTitle(view) {
  const names = RECORD_TYPES[view.type]?.titleFields ?? ['title', 'name'];
  const parts = names.map((name) => view.fields[name]).filter((value) => value != null && value !== '');
  if (parts.length > 0) {
    const present = names.filter((name) => view.fields[name] != null && view.fields[name] !== '');
    return parts.map((value, i) => {
      if (DATE_FIELDS.has(present[i])) return formatDate(value);
      if (CODED_FIELDS.has(present[i])) return tOr(`${present[i]}.${value}`, String(value));
      return String(value);
    }).join(' · ');
  }
  // Never its id: a reader on site cannot tell one code from another.
  return `${typeLabel(view.type)} · ${t('record.untitled')}`;
}

export function typeLabel(type) {
  return tOr(`type.${type}`, type);
}

export function fieldLabel(name) {
  return tOr(`field.${name}`, name.replaceAll('_', ' '));
}

export function stateLabel(state) {
  return tOr(`state.${state}`, String(state).replaceAll('_', ' '));
}

/**
 * Text for a field value, or for a change as a mutation carries it (a set's `{add, remove}`).
 * `nameOf(id)` resolves ids of sections, people and records to names; unresolved ids show their
 * first characters. A map (keyed by checklist item code) gives one line per entry (see `mapLines`).
 */
export function formatFieldValue(name, value, nameOf = () => undefined, { itemName } = {}) {
  if (value == null || value === '' || (Array.isArray(value) && value.length === 0)) return '—';
  if (name === 'status') return stateLabel(value);
  if (name === 'subject_type') return typeLabel(value);
  if (name === 'progress') return `${value}%`;
  if (isPhotoField(name) && (Array.isArray(value) || isSetChange(value))) return photosText(value);
  if (isSetChange(value)) return setChangeText(value, nameOf);
  if (DATE_FIELDS.has(name)) return formatDate(value);
  if (name.endsWith('_at') || TIME_FIELDS.has(name)) return formatDateTime(value);
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (name === 'items' && Array.isArray(value)) return value.map((item) => `${item.code} ${item.text ?? ''}`).join('\n');
  if (CODED_FIELDS.has(name)) return tOr(`${name}.${value}`, String(value));
  // `requested_by` names a user too (who moved the subject an approval is about).
  if (name.endsWith('_id') || name === 'requested_by') return nameOf(value) ?? shortId(value);
  if (Array.isArray(value)) return value.map((item) => nameOf(item) ?? String(item)).join(', ') || '—';
  if (typeof value === 'object') return mapLines(name, value, { nameOf, itemName }).join('\n');
  return String(value);
}

/**
 * A map field's entries as `{key, label, text}`: results as Pass / Fail, notes as written, photo
 * lists as how many. `itemName(code)` names an entry's item (its checklist text), else the code shows.
 */
export function mapEntries(name, value, { nameOf = () => undefined, itemName } = {}) {
  return Object.entries(value ?? {}).map(([key, item]) => ({
    key,
    label: itemName?.(key) ?? key,
    text: name === 'results' && item != null ? tOr(`result.${item}`, String(item))
      : formatFieldValue(isPhotoField(name) ? 'photos' : '', item, nameOf),
  }));
}

/** A map field as lines "EX02 <item>: <value>" (see `mapEntries`). */
export function mapLines(name, value, options = {}) {
  return mapEntries(name, value, options).map(({ label, text }) => t('record.mapLine', { key: label, value: text }));
}

/** A set field's change as a mutation sends it (`{add: [...], remove: [...]}`), rather than its value. */
export function isSetChange(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => (key === 'add' || key === 'remove') && Array.isArray(value[key]));
}

/** "2 photos", or for a change "2 photos added, 1 photo removed". */
function photosText(value) {
  if (Array.isArray(value)) return t('record.photoCount', { count: value.length });
  return [
    value.add?.length ? t('record.photosAdded', { count: value.add.length }) : null,
    value.remove?.length ? t('record.photosRemoved', { count: value.remove.length }) : null,
  ].filter(Boolean).join(', ') || '—';
}

function setChangeText(value, nameOf) {
  const names = (items) => items.map((item) => nameOf(item) ?? String(item)).join(', ');
  return [
    value.add?.length ? t('record.setAdded', { items: names(value.add) }) : null,
    value.remove?.length ? t('record.setRemoved', { items: names(value.remove) }) : null,
  ].filter(Boolean).join('; ') || '—';
}

function shortId(id) {
  return String(id).slice(0, 8);
}
