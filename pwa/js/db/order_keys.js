/**
 * Order keys: a text stored beside a pulled record (`order`) whose plain text order is its list's
 * order, so the records' `by_order` index (database.js) reads a list's first page without the
 * rest of the type. The list sorts its views by the same key in memory, so both agree exactly.
 */

const KEYS = {
  /**
   * The document register: numbered documents first, by number in natural order (施-2 before
   * 施-10; case, and full-width letters and digits as a Chinese keyboard types them, folded),
   * then by title; documents without a number after them, by title.
   */
  document: (fields) => (fields.number != null && String(fields.number).trim() !== ''
    ? `1${natural(fields.number)}\u0000${natural(fields.title)}`
    : `2${natural(fields.title)}`),
};

/** The order key of a record of `type` with `fields`, or undefined for a type without one. */
export function orderKeyOf(type, fields) {
  return KEYS[type]?.(fields);
}

/** Sets `record.order` (a record as stored) when its type has an order key; returns `record`. */
export function addOrderKey(record) {
  const order = orderKeyOf(record.type, record.data ?? {});
  if (order !== undefined) record.order = order;
  return record;
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
