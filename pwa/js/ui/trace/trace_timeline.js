/**
 * A work step's trace (工序追溯): one timeline, newest first, of everything that happened to it —
 * created, started, each inspection with its level, result, failed items, measurements and
 * photos, rectifications, comments and approvals, and (online) every field change the server
 * recorded — each with who and when, in words an outside inspector reads without the app.
 * Offline it shows what the phone holds; the server's history joins when a connection is back.
 */
import { loadViews } from '../../sync/local_view.js';
import { h, userText } from '../dom.js';
import { formatDateTime, t, tOr } from '../i18n.js';
import { fieldLabel, formatFieldValue, stateLabel } from '../components/record_text.js';
import { PhotoStrip } from '../components/photo_strip.js';

/** When an hlc was written: it starts with the writer's clock in milliseconds. */
function hlcTime(hlc) {
  const ms = Number(String(hlc ?? '').slice(0, 15));
  return ms > 0 ? new Date(ms).toISOString() : null;
}

/** Entries of one work step from the records on this phone (and its server history, if given). */
export async function stepEntries(step, inspections, history, nameOf) {
  const [comments, approvals, metas] = await Promise.all([loadViews('comment'), loadViews('approval'), loadViews('photo_meta')]);
  const photoMeta = new Map(metas.filter((view) => !view.deleted).map((view) => [view.fields.sha256, view.fields]));
  const about = (view) => view.fields.subject_id === step.id && !view.deleted;
  const entries = [];
  const moves = (history ?? []).filter((entry) => entry.field === 'status');
  if (step.createdAt || !moves.length) {
    entries.push({ at: step.createdAt ?? hlcTime(history?.[0]?.hlc), who: step.createdBy, kind: 'created',
      title: t('trace.created') });
  }
  for (const move of moves) {
    // An inspection's pass or fail move is its inspection's entry; the others are their own.
    if (/passed$/.test(move.new) || (/^rectifying_/.test(move.new) && move.old !== move.new && !/^rectifying_/.test(move.old) && inspections.length)) continue;
    entries.push({ at: hlcTime(move.hlc), who: move.user, kind: move.old?.startsWith('rectifying_') ? 'rectified' : 'moved',
      title: move.old?.startsWith('rectifying_') ? t('trace.rectified') : t('trace.moved', { state: stateLabel(move.new) }) });
  }
  for (const entry of history ?? []) {
    if (['status', 'project_id', 'section_id'].includes(entry.field) || entry.old == null) continue;
    entries.push({ at: hlcTime(entry.hlc), who: entry.user, kind: 'field',
      title: [`${fieldLabel(entry.field)}: `, userText(formatFieldValue(entry.field, entry.old, nameOf)), ' → ', userText(formatFieldValue(entry.field, entry.new, nameOf))] });
  }
  const failed = {};
  for (const inspection of inspections) {
    const { level, result } = inspection.fields;
    entries.push({ at: inspection.fields.inspected_at ?? inspection.updatedAt, who: inspection.createdBy,
      kind: `inspection-${result}`, inspection, photoMeta, before: result === 'pass' ? failed[level] : undefined,
      title: t('trace.inspected', { level: t(`level.${level}`), result: tOr(`result.${result}`, result ?? '') }) });
    if (result === 'fail') failed[level] = inspection;
    if (inspection.pending) entries[entries.length - 1].pending = true;
  }
  for (const comment of comments.filter(about)) {
    entries.push({ at: comment.createdAt ?? comment.updatedAt, who: comment.createdBy, kind: 'comment', title: t('trace.comment'), text: comment.fields.body });
  }
  for (const approval of approvals.filter(about)) {
    entries.push({ at: approval.updatedAt, who: approval.createdBy, kind: 'approval',
      title: t('trace.approval', { state: stateLabel(approval.fields.status ?? 'pending') }), text: approval.fields.note });
  }
  if (step.fields.early_start) {
    entries.push({ at: step.fields.actual_start ? `${step.fields.actual_start}T00:00:00Z` : null, who: null, kind: 'flag', title: t('worksteps.earlyStart') });
  }
  return entries;
}

/**
 * The timeline element: newest first; `items(code)` names checklist items. A creation is the
 * oldest entry whatever the clocks say: a phone with a wrong clock cannot inspect a step before it exists.
 */
export function TraceTimeline(app, entries, nameOf, { itemName = (code) => code, testid = 'trace-timeline' } = {}) {
  const sorted = [...entries].sort((a, b) => Number(a.kind === 'created') - Number(b.kind === 'created')
    || String(b.at ?? '').localeCompare(String(a.at ?? '')));
  if (!sorted.length) return h('p', { class: 'empty', testid: `${testid}-empty` }, t('trace.empty'));
  return h('ol', { class: 'trace-list', testid },
    sorted.map((entry) => h('li', { class: `trace-entry trace-${entry.kind}`, testid: 'trace-entry', dataset: { kind: entry.kind } },
      h('p', { class: 'trace-title' }, h('strong', {}, entry.title),
        entry.pending ? h('span', { class: 'chip chip-pending' }, t('record.notSynced')) : null),
      h('p', { class: 'muted trace-who' }, [userText(nameOf(entry.who)) ?? (entry.who ? t('trace.someone') : null),
        entry.at ? formatDateTime(entry.at) : null].filter(Boolean).flatMap((part, index) => [index ? ' · ' : null, part])),
      entry.text ? h('p', { class: 'trace-text' }, userText(entry.text)) : null,
      entry.inspection ? InspectionDetail(app, entry.inspection, entry.before, itemName, entry.photoMeta) : null)));
}

/** What an inspection found: failed items, measurements, notes, photos (beside the failure's, once rectified). */
function InspectionDetail(app, inspection, before, itemName, photoMeta = new Map()) {
  const { results = {}, measurements = {}, notes, photos = [] } = inspection.fields;
  const failedItems = Object.entries(results).filter(([, value]) => value === 'fail').map(([code]) => itemName(code));
  const measured = Object.entries(measurements).filter(([, value]) => value && value.value != null)
    .map(([code, value]) => `${itemName(code)}：${value.value} ${value.unit ?? ''}`.trim());
  const strip = (shas, label) => {
    const photosStrip = new PhotoStrip(app, { testid: 'trace-photos' });
    photosStrip.set(shas);
    return h('figure', { class: 'trace-photos' }, h('figcaption', { class: 'muted' }, label), photosStrip.element);
  };
  const pair = before && (before.fields.photos ?? []).length && photos.length;
  return h('div', { class: 'trace-detail stack' },
    failedItems.length ? h('p', {}, t('trace.failedItems', { items: failedItems.join('、') })) : null,
    measured.length ? h('p', { testid: 'trace-measurements' }, t('trace.measured', { values: measured.join('；') })) : null,
    notes ? h('p', { class: 'trace-text' }, userText(notes)) : null,
    pair ? h('div', { class: 'before-after', testid: 'before-after' },
      strip(before.fields.photos, t('trace.before')), strip(photos, t('trace.after')))
      : photos.length ? strip(photos, t('trace.photos', { count: photos.length })) : null,
    PhotoFacts(photos, photoMeta));
}

/** When and where each photo was taken, and which one a marked-up copy was drawn on. */
function PhotoFacts(photos, photoMeta) {
  const lines = photos.map((sha, i) => {
    const meta = photoMeta.get(sha);
    if (!meta) return null;
    const parts = [meta.taken_at ? t('trace.photoTaken', { when: formatDateTime(meta.taken_at) }) : null,
      meta.latitude != null ? t('trace.photoPlace', { lat: meta.latitude.toFixed(5), lng: meta.longitude.toFixed(5),
        accuracy: Math.round(meta.accuracy_m ?? 0) }) : null,
      meta.derived_from && photos.includes(meta.derived_from) ? t('trace.photoMarked', { number: photos.indexOf(meta.derived_from) + 1 }) : null];
    return h('li', { testid: 'trace-photo-fact' }, `${t('trace.photoNumber', { number: i + 1 })}：${parts.filter(Boolean).join('，')}`);
  }).filter(Boolean);
  return lines.length ? h('ul', { class: 'plain-list muted trace-photo-facts' }, lines) : null;
}
