/**
 * The ids of the rows each list showed first when it was last drawn whole, by address (kept in
 * `meta`), so that a fresh start can draw those rows while the whole type is still being read.
 * Only ids are kept: the rows are drawn from the records as they are now.
 */
import { getMeta, setMeta } from './meta.js';

const KEY = 'first_pages';
const KEPT = 12; // addresses remembered, the most recently drawn first

let held = null; // Promise<[[address, ids], …]>

function remembered() {
  held ??= getMeta(KEY).then((pages) => (Array.isArray(pages) ? pages : []), () => []);
  return held;
}

/** The ids `address` showed first when last drawn whole, or null. */
export async function readFirstPage(address) {
  return (await remembered()).find(([known]) => known === address)?.[1] ?? null;
}

/** Remembers the ids `address` shows first; writes only when they changed. */
export async function rememberFirstPage(address, ids) {
  const pages = await remembered();
  const known = pages.find(([at]) => at === address)?.[1];
  if (known && known.length === ids.length && known.every((id, i) => id === ids[i])) return;
  const kept = [[address, ids], ...pages.filter(([at]) => at !== address)].slice(0, KEPT);
  held = Promise.resolve(kept);
  await setMeta(KEY, kept).catch(() => {}); // a lost copy only costs the next start its early rows
}

/** Forgets the copy held in memory (the stored ones were cleared, e.g. by a device reset). */
export function forgetFirstPages() {
  held = null;
}
