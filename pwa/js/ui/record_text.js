/** Human-readable text for records: titles, field labels and field values. */
import { RECORD_TYPES } from '../sync/record_types.js';
import { formatDate, formatDateTime, t, tOr } from './i18n.js';

const DATE_FIELDS = new Set(['date', 'due_date', 'planned_start', 'planned_end', 'deadline']);
const TIME_FIELDS = new Set(['response_due']);
/** Fields whose values are codes with their own translations (`<field>.<value>`). */
const CODED_FIELDS = new Set(['priority', 'category', 'channel', 'subject_type', 'kind']);

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
  return `${typeLabel(view.type)} ${view.id.slice(0, 8)}`;
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
 * Text for a field value. `nameOf(id)` resolves ids of sections, people and records
 * to names; unresolved ids show their first characters.
 */
export function formatFieldValue(name, value, nameOf = () => undefined) {
  if (value == null || value === '' || (Array.isArray(value) && value.length === 0)) return '—';
  if (name === 'status') return stateLabel(value);
  if (name === 'progress') return `${value}%`;
  if (name === 'photos') return t('record.photoCount', { count: value.length });
  if (DATE_FIELDS.has(name)) return formatDate(value);
  if (name.endsWith('_at') || TIME_FIELDS.has(name)) return formatDateTime(value);
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (name === 'items' && Array.isArray(value)) return value.map((item) => `${item.code} ${item.text ?? ''}`).join('\n');
  if (CODED_FIELDS.has(name)) return tOr(`${name}.${value}`, String(value));
  if (name.endsWith('_id')) return nameOf(value) ?? shortId(value);
  if (Array.isArray(value)) return value.map((item) => nameOf(item) ?? String(item)).join(', ') || '—';
  if (typeof value === 'object') {
    return Object.entries(value).map(([key, item]) => `${key}: ${tOr(`result.${item}`, String(item))}`).join('; ');
  }
  return String(value);
}

function shortId(id) {
  return String(id).slice(0, 8);
}
