/** Retry delays for the sync loop: exponential, capped, with "equal jitter". */

const BASE_MS = 2_000;
const CAP_MS = 5 * 60_000;

/**
 * Delay before retry number `failures` (1, 2, …).
 * Half of the exponential delay is kept, the other half is random, so many phones
 * coming back online together do not hit the server in step.
 */
export function backoffDelay(failures, random = Math.random) {
  const exponential = Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, failures - 1));
  return exponential / 2 + random() * (exponential / 2);
}
