/**
 * Order keys: a text stored beside a pulled record (`order`) whose plain text order is its list's
 * order, so the records' `by_order` index (type, key; database.js) reads a list's first page
 * without the rest of the type. A key is worked out from the fields and the time of the last
 * change, as a record's view has them, so the view of a record with changes queued on the phone
 * gets the key its record will have once the change is pulled.
 */

import { OPEN_TASK_STATES } from '../sync/record_types.js';

const KEYS = {
  /**
   * The document register, per project: numbered documents first, by number in natural order
   * (施-2 before 施-10; case, and full-width letters and digits as a Chinese keyboard types
   * them, folded), then by title; documents without a number after them, by title.
   */
  document: (fields) => `${fields.project_id ?? ''}\u0000${fields.number != null && String(fields.number).trim() !== ''
    ? `1${natural(fields.number)}\u0000${natural(fields.title)}`
    : `2${natural(fields.title)}`}`,
  /** Tasks: open ones first, then by due date (none last), then the newest change first. */
  task: (fields, updatedAt) => `${OPEN_TASK_STATES.has(fields.status ?? 'todo') ? 0 : 1}${byDate(fields.due_date)}${newestFirst(updatedAt)}`,
  /** Corrective actions: by deadline (none last), then the newest change first. */
  action: (fields, updatedAt) => `${byDate(fields.deadline)}${newestFirst(updatedAt)}`,
  /** Work steps: the newest change first. */
  work_step: (fields, updatedAt) => newestFirst(updatedAt),
  /** Safety checks: those not closed first, then the latest date first. */
  safety_check: (fields) => `${fields.status === 'closed' ? 1 : 0}${newestFirst(fields.date)}`,
};

/** The types whose records have an order key. */
export const ORDERED_TYPES = Object.keys(KEYS);

/** The order key of a record of `type` with `fields`, last changed at `updatedAt`; undefined for a type without one. */
export function orderKeyOf(type, fields, updatedAt = null) {
  return KEYS[type]?.(fields, updatedAt);
}

/**
 * The `by_order` key ranges whose first records hold a list's first page, with the order keys
 * above: a project's documents (`document`, its project id); every task, as ranges of the open
 * ones due before `today`, those with an empty due date, those due from `today` on or never, and
 * the others (`task`, `today`), which give the overdue tasks first and the rest by due date; the
 * safety checks not closed (`open_safety_check`); every action and every work step.
 */
export function firstPageRanges(list, argument) {
  const from = (type, low, high) => IDBKeyRange.bound([type, low], [type, high], false, true);
  switch (list) {
    case 'document': return [from('document', `${argument}\u0000`, `${argument}\u0001`)];
    case 'task': {
      const open = `0${argument}`;
      return [from('task', '01', open), from('task', '0', '01'), from('task', open, '1'), from('task', '1', '2')];
    }
    case 'open_safety_check': return [from('safety_check', '0', '1')];
    default: return [IDBKeyRange.bound([list], [list, []])];
  }
}

/** Sets `record.order` (a record as stored) when its type has an order key; returns `record`. */
export function addOrderKey(record) {
  const order = orderKeyOf(record.type, record.data ?? {}, record.updated_at ?? null);
  if (order !== undefined) record.order = order;
  return record;
}

/** A date (or time) for an earliest-first order; none after every date. */
function byDate(value) {
  return `${value ?? '9999'}\u0000`;
}

/**
 * A date or time for a latest-first order: each character turned over (a later time gives a
 * smaller text), ended by a character above every turned one so that a longer text sorts first;
 * none after every time.
 */
function newestFirst(value) {
  if (!value) return '\uffff';
  let turned = '';
  for (const char of String(value)) turned += String.fromCharCode(0xfffd - char.charCodeAt(0));
  return `${turned}\ufffe`;
}

/**
 * `value` as text that sorts naturally: forms folded (NFKC, upper case), and each run of digits
 * written as its length (one character) and its digits without leading zeros, so a longer
 * number sorts after a shorter one.
 */
function natural(value) {
  return String(value ?? '').normalize('NFKC').toUpperCase().replace(/\d+/g, (digits) => {
    const significant = digits.replace(/^0+(?=\d)/, '');
    return String.fromCharCode(0x30 + Math.min(significant.length, 0xff)) + significant;
  });
}
