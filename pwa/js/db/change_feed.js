/**
 * Tells the page (and other open tabs of the app) that stored data changed, so screens
 * can reload. Topics: `records` (pulled records or the local view), `members` (a project's
 * members kept on the device, whom screens name), `outbox`, `inbox`.
 * An event heard from another tab carries `detail.remote`: in-memory copies of that
 * topic's data can no longer be patched and must be read again.
 */

const events = new EventTarget();
const channel = 'BroadcastChannel' in globalThis ? new BroadcastChannel('gridline-changes') : null;

channel?.addEventListener('message', (event) => events.dispatchEvent(new CustomEvent(event.data, { detail: { remote: true } })));

/** Announces a change on `topic` here and in other tabs. */
export function announceChange(topic) {
  events.dispatchEvent(new CustomEvent(topic, { detail: { remote: false } }));
  channel?.postMessage(topic);
}

/** Calls `listener(event)` on every change of `topic`; returns a function that stops listening. */
export function onChange(topic, listener) {
  events.addEventListener(topic, listener);
  return () => events.removeEventListener(topic, listener);
}
