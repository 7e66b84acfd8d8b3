/**
 * A work step's trace (工序追溯): one timeline, newest first, of everything that happened to it —
 * created, started, each inspection with its level, result, failed items, measurements and
 * photos, rectifications, comments and approvals, and (online) every field change the server
 * recorded — each with who and when, in words an outside inspector reads without the app.
 * Offline it shows what the phone holds: the server's history as last fetched, and the moves made
 * on this phone not yet sent (a rectification marked done in a trench with no signal).
 */
import { readAll } from '../../db/database.js';
import { getMeta, setMeta } from '../../db/meta.js';
import { readRecord } from '../../db/records.js';
import { loadViews } from '../../sync/local_view.js';
import { h, userText } from '../dom.js';
import { formatDateTime, t, tOr } from '../i18n.js';
import { fieldLabel, formatFieldValue, stateLabel } from '../components/record_text.js';
import { PhotoStrip } from '../components/photo_strip.js';
import { PhotoFacts, loadPhotoMetas } from '../components/photo_facts.js';

/** When an hlc was written: it starts with the writer's clock in milliseconds. */
function hlcTime(hlc) {
  const ms = Number(String(hlc ?? '').slice(0, 15));
  return ms > 0 ? new Date(ms).toISOString() : null;
}

/**
 * The server's history of a record (`[{field, old, new, hlc, user}]`): fetched when online and
 * kept on the phone (cleared with the rest when another user takes the device), so offline the
 * trace still shows it as last seen; null when it was never fetched.
 */
export async function loadHistory(app, type, id) {
  const key = `history:${type}:${id}`;
  if (navigator.onLine) {
    try {
      const history = (await app.api.get(`/api/records/${encodeURIComponent(type)}/${encodeURIComponent(id)}/history`))?.history ?? [];
      await setMeta(key, history);
      return history;
    } catch {
      // offline after all, or refused: what was kept still tells the story
    }
  }
  return keptHistory(type, id);
}

/** The server's history of a record as last fetched on this phone, or null. */
export async function keptHistory(type, id) {
  return (await getMeta(`history:${type}:${id}`)) ?? null;
}

/** The status moves of a record made on this phone and not yet sent, as history entries of `userId`'s. */
export async function pendingMoves(type, id, userId) {
  const queued = (await readAll('outbox', { index: 'by_record', query: [type, id] }))
    .filter((mutation) => mutation.op === 'put' && mutation.fields?.status)
    .sort((a, b) => a.mid - b.mid);
  if (!queued.length) return [];
  let old = (await readRecord(type, id))?.data?.status ?? null;
  return queued.map((mutation) => {
    const move = { field: 'status', old, new: mutation.fields.status, hlc: mutation.hlc, user: userId, pending: true };
    old = mutation.fields.status;
    return move;
  });
}

/** A record's own entries: its creation, field changes, and the comments and approvals about it. */
export async function recordEntries(view, history, nameOf, { skip = ['status', 'project_id', 'section_id'] } = {}) {
  const [comments, approvals] = await Promise.all([loadViews('comment'), loadViews('approval')]);
  const about = (other) => other.fields.subject_id === view.id && !other.deleted;
  const entries = [];
  if (view.createdAt || !history?.length) {
    entries.push({ at: view.createdAt ?? hlcTime(history?.[0]?.hlc), who: view.createdBy, kind: 'created', title: t('trace.created') });
  }
  for (const entry of history ?? []) {
    if (skip.includes(entry.field) || entry.old == null) continue;
    entries.push({ at: hlcTime(entry.hlc), who: entry.user, kind: 'field',
      title: [`${fieldLabel(entry.field)}: `, userText(formatFieldValue(entry.field, entry.old, nameOf)), ' → ', userText(formatFieldValue(entry.field, entry.new, nameOf))] });
  }
  for (const comment of comments.filter(about)) {
    entries.push({ at: comment.createdAt ?? comment.updatedAt, who: comment.createdBy, kind: 'comment', title: t('trace.comment'), text: comment.fields.body,
      pending: comment.pending });
  }
  for (const approval of approvals.filter(about)) {
    entries.push({ at: approval.updatedAt, who: approval.createdBy, kind: 'approval',
      title: t('trace.approval', { state: stateLabel(approval.fields.status ?? 'pending') }), text: approval.fields.note });
  }
  return entries;
}

/**
 * Entries of one work step from the records on this phone, its server history (if given) and
 * `pending`, its status moves not yet sent (pendingMoves).
 */
export async function stepEntries(step, inspections, history, nameOf, pending = []) {
  const photoMeta = await loadPhotoMetas();
  const entries = await recordEntries(step, history, nameOf);
  const moves = [...(history ?? []).filter((entry) => entry.field === 'status'), ...pending];
  for (const move of moves) {
    // An inspection's pass or fail move is its inspection's entry; the others are their own (a
    // rectification moves back to the state awaiting the failed level: "mutual_passed" too).
    const rectified = /^rectifying_/.test(move.old ?? '') && !/^rectifying_/.test(move.new);
    if ((/passed$/.test(move.new) && !rectified) || (/^rectifying_/.test(move.new) && move.old !== move.new && !/^rectifying_/.test(move.old) && inspections.length)) continue;
    entries.push({ at: hlcTime(move.hlc), who: move.user, kind: rectified ? 'rectified' : 'moved', pending: move.pending,
      title: rectified ? t('trace.rectified') : t('trace.moved', { state: stateLabel(move.new) }) });
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
