/**
 * Early rows: on a fresh start, a list draws the rows it showed first when last drawn whole
 * (kept by address in db/first_pages.js), as those records are now, while the whole type is
 * still being read; the exact list replaces them once it is.
 */
import { readFirstPage, rememberFirstPage } from '../../db/first_pages.js';
import { isViewListHeld, loadViewsOf } from '../../sync/local_view.js';
import { PAGE_ROWS } from './paged_list.js';

/**
 * The records `address` showed first, or null when the type is in memory already or none were
 * kept. A list that can find its first rows through an index gives `firstViews` (async, views),
 * asked when none were kept.
 */
export async function earlyViews(type, address, firstViews = null) {
  if (isViewListHeld(type)) return null;
  const ids = await readFirstPage(address);
  const views = ids?.length ? await loadViewsOf(type, ids) : await firstViews?.();
  return views?.length ? views : null;
}

/** Remembers the first rows of a list drawn whole and not searched, for the next start. */
export function keepFirstRows(address, shown) {
  rememberFirstPage(address, shown.slice(0, PAGE_ROWS).map((view) => view.id));
}
