/**
 * When and where each photo was taken, and which one a marked-up copy was drawn on, read from
 * the photos' `photo_meta` records: "Photo 1: taken 3 Dec 08:14, at 31.23040, 121.47370 (±15 m)".
 */
import { loadViews } from '../../sync/local_view.js';
import { h } from '../dom.js';
import { formatDateTime, t } from '../i18n.js';

/** sha256 → the photo's metadata fields, for every photo on this phone that has them. */
export async function loadPhotoMetas() {
  const metas = await loadViews('photo_meta');
  return new Map(metas.filter((view) => !view.deleted).map((view) => [view.fields.sha256, view.fields]));
}

/** One line per photo of `photos` with metadata, or null when none has. testid: `trace-photo-fact`. */
export function PhotoFacts(photos, photoMeta) {
  const lines = photos.map((sha, i) => {
    const meta = photoMeta.get(sha);
    if (!meta) return null;
    const parts = [meta.taken_at ? t('trace.photoTaken', { when: formatDateTime(meta.taken_at) }) : null,
      meta.latitude != null ? t('trace.photoPlace', { lat: meta.latitude.toFixed(5), lng: meta.longitude.toFixed(5),
        accuracy: Math.round(meta.accuracy_m ?? 0) }) : null,
      meta.derived_from && photos.includes(meta.derived_from) ? t('trace.photoMarked', { number: photos.indexOf(meta.derived_from) + 1 }) : null];
    return h('li', { testid: 'trace-photo-fact', dataset: { sha } },
      t('trace.photoFacts', { number: i + 1, facts: parts.filter(Boolean).join(t('trace.factSeparator')) }));
  }).filter(Boolean);
  return lines.length ? h('ul', { class: 'plain-list muted trace-photo-facts', testid: 'photo-facts' }, lines) : null;
}
