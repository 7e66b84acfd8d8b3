/**
 * Keeps what a decision's panel holds (the reason for sending work back, an action's note and
 * "after" photos) in the `drafts` store as it is typed, so a reload, a crash or an expired
 * login gives it back with the panel open, and home lists it among the unfinished drafts.
 * One draft per user and record: its route is the record's page with `#decision`.
 */
import { readDraft, removeDraft, writeDraft } from '../../db/drafts.js';

const SAVE_DELAY_MS = 600; // written this long after the last keystroke
const SUMMARY_MAX = 80;

/** Writes waiting for the end of a burst of typing, by route: `{timer, draft}`. */
const pending = new Map();

function writeNow(route) {
  const entry = pending.get(route);
  if (!entry) return Promise.resolve();
  clearTimeout(entry.timer);
  pending.delete(route);
  return writeDraft(entry.draft);
}

// A crash, a tab switch or the phone locking ends the page without warning: write what is pending.
const flushAll = () => [...pending.keys()].forEach(writeNow);
window.addEventListener('pagehide', flushAll);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') flushAll();
});

/** The draft route of a decision on the record `view`. */
function routeOf(view) {
  return `/r/${view.type}/${view.id}#decision`;
}

/** The state a decision on `view` was left in by this user, or null. */
export async function readDecision(app, view) {
  const userId = app.session.user?.id;
  if (!userId) return null;
  const draft = await readDraft(userId, routeOf(view));
  return draft?.state ?? null;
}

/**
 * Keeps `state` (what the panel holds) for the decision on `view`, written shortly; `summary`
 * is the line home shows, `heading` the i18n key naming the decision there.
 */
export function keepDecision(app, view, { heading, summary, state }) {
  const userId = app.session.user?.id;
  if (!userId) return;
  const route = routeOf(view);
  clearTimeout(pending.get(route)?.timer);
  const draft = {
    user_id: userId, route, heading, state,
    summary: String(summary ?? '').trim().replace(/\s+/g, ' ').slice(0, SUMMARY_MAX),
  };
  pending.set(route, { draft, timer: setTimeout(() => writeNow(route), SAVE_DELAY_MS) });
}

/** The decision was made or cancelled: its draft is forgotten. */
export async function dropDecision(app, view) {
  const route = routeOf(view);
  clearTimeout(pending.get(route)?.timer);
  pending.delete(route);
  const userId = app.session.user?.id;
  if (userId) await removeDraft(userId, route);
}
