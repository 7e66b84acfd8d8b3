/**
 * Short codes: 8 characters derived from a record's id, printed under its QR code and typed when
 * there is no camera (server/labels/codes.py derives them the same way; docs/sync-protocol.md).
 * A typed code is found among the records on this phone, so it works offline once synced.
 */
import { loadViews } from './local_view.js';
import { RECORD_TYPES } from './record_types.js';

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'; // no 0/O, 1/I/L
const LENGTH = 8;

/** The record's code: the last 16 hex digits of its id, as 8 digits base 31. */
export function shortCode(id) {
  let number = BigInt(`0x${id.replaceAll('-', '').slice(-16)}`) % (BigInt(ALPHABET.length) ** BigInt(LENGTH));
  let code = '';
  for (let i = 0; i < LENGTH; i += 1) {
    code = ALPHABET[Number(number % BigInt(ALPHABET.length))] + code;
    number /= BigInt(ALPHABET.length);
  }
  return code;
}

/** A code as printed: two groups of four. */
export function printedCode(code) {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** A typed code as codes compare (upper case, no dashes or spaces), or null when it cannot be one. */
export function normaliseCode(typed) {
  const code = String(typed ?? '').toUpperCase().replace(/[\s-]/g, '');
  return code.length === LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null;
}

/** The records on this phone with that code (usually one). */
export async function findByCode(code) {
  const lists = await Promise.all(Object.keys(RECORD_TYPES).map((type) => loadViews(type)));
  return lists.flat().filter((view) => !view.deleted && shortCode(view.id) === code);
}

/** The code in a scanned text: a link to /r/<type>/<id> gives that path, else a typed code. */
export function pathInScan(text) {
  const match = /\/r\/([a-z_]+)\/([0-9a-fA-F-]{36})/.exec(String(text));
  return match ? `/r/${match[1]}/${match[2].toLowerCase()}` : null;
}
