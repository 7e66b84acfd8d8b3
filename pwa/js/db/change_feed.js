/**
 * Tells the page (and other open tabs of the app) that stored data changed, so screens
 * can reload. Topics: `records` (pulled records or the local view), `outbox`, `inbox`.
 */

const events = new EventTarget();
const channel = 'BroadcastChannel' in globalThis ? new BroadcastChannel('gridline-changes') : null;

channel?.addEventListener('message', (event) => events.dispatchEvent(new Event(event.data)));

/** Announces a change on `topic` here and in other tabs. */
export function announceChange(topic) {
  events.dispatchEvent(new Event(topic));
  channel?.postMessage(topic);
}

/** Calls `listener` on every change of `topic`; returns a function that stops listening. */
export function onChange(topic, listener) {
  events.addEventListener(topic, listener);
  return () => events.removeEventListener(topic, listener);
}
