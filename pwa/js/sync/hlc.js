/**
 * Hybrid logical clock, the protocol's `PPPPPPPPPPPPPPP:CCCCC:<client_id>` strings.
 *
 * Reference: Kulkarni et al., "Logical Physical Clocks and Consistent Snapshots in
 * Globally Distributed Databases" (2014). A clock state is `{ms, counter}`; the functions
 * are pure so the outbox can run them inside an IndexedDB transaction.
 */

const MS_DIGITS = 15;
const COUNTER_DIGITS = 5;
const COUNTER_MAX = 10 ** COUNTER_DIGITS - 1;

/** The clock of a device that has issued nothing yet. */
export const ZERO_CLOCK = Object.freeze({ ms: 0, counter: 0 });

/** Formats a clock state with the device's client id. */
export function formatHlc({ ms, counter }, clientId) {
  return `${String(ms).padStart(MS_DIGITS, '0')}:${String(counter).padStart(COUNTER_DIGITS, '0')}:${clientId}`;
}

/** The clock for a new local event, after `last`, at wall time `nowMs`. */
export function tickHlc(last, nowMs) {
  // 1. The physical part never goes back, even when the wall clock does.
  const ms = Math.max(last.ms, Math.floor(nowMs));
  // 2. Same millisecond as the last event: the counter orders them; a new millisecond restarts it.
  const counter = ms === last.ms ? last.counter + 1 : 0;
  return carryOverflow({ ms, counter });
}

/** The clock after seeing a remote clock (another device's, or the server's time with counter 0). */
export function receiveHlc(last, remote, nowMs) {
  // 1. Jump to the latest physical time known anywhere, so later local events sort after the remote one.
  const ms = Math.max(last.ms, remote.ms, Math.floor(nowMs));
  // 2. The counter goes past every clock that shares that physical time.
  let counter = 0;
  if (ms === last.ms && ms === remote.ms) counter = Math.max(last.counter, remote.counter) + 1;
  else if (ms === last.ms) counter = last.counter + 1;
  else if (ms === remote.ms) counter = remote.counter + 1;
  return carryOverflow({ ms, counter });
}

/** A full counter borrows the next millisecond: the format stays fixed and the order holds. */
function carryOverflow({ ms, counter }) {
  return counter > COUNTER_MAX ? { ms: ms + 1, counter: 0 } : { ms, counter };
}
