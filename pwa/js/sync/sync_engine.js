/**
 * The sync loop: upload photos, push, then pull, then refresh the inbox lists.
 *
 * Runs on start, on the `online` event, every 30 s while online, soon after a new local
 * change, and on "Sync now". Failures back off exponentially with jitter; a 401 stops the
 * loop until the user logs in again and leaves the outbox exactly as it was.
 */
import { onChange } from '../db/change_feed.js';
import { getMeta, setMeta } from '../db/meta.js';
import { countPendingBlobs } from '../db/pending_blobs.js';
import { ApiError } from './api_client.js';
import { backoffDelay } from './backoff.js';
import { countQueue, observeServerTime } from './outbox.js';

const INTERVAL_MS = 30_000;
const AFTER_LOCAL_CHANGE_MS = 1_000;

/** Fired with the new `status` whenever any part of it changes. */
export const STATUS_EVENT = 'status';
/** Fired when the server refused the token: the UI shows the login screen. */
export const LOGIN_REQUIRED_EVENT = 'login-required';

export class SyncEngine extends EventTarget {
  constructor({ api, session }) {
    super();
    this.api = api;
    this.session = session;
    this.status = {
      online: navigator.onLine, // what the browser believes; a failed request shows as `error`
      pending: 0, // the user's changes in the outbox (a photo's time-and-place record not counted)
      queued: 0, // every mutation in the outbox
      photos: 0, // photos on this phone waiting for upload (refused ones left out: they never go)
      lastSyncAt: null, // ISO time of the last cycle that finished without error
      error: null, // {code, message} of the last failed cycle, null once one succeeds
      phase: 'idle', // 'idle' | 'uploading' | 'pushing' | 'pulling'
      uploaded: 0, // photos done of `uploads`, while uploading
      uploads: 0, // photos this upload round tries
      sentBytes: 0, // bytes of the photos done, of `totalBytes`, while uploading
      totalBytes: 0,
      received: 0, // changes received by the pull under way
      pages: 0, // pages received by the pull under way
      loginRequired: false, // the server refused the token; nothing is sent until login
    };
    this.failures = 0; // consecutive failed cycles, for the backoff
    this.timer = null; // the next scheduled cycle
    this.running = null; // promise of the cycle under way
    this.runAgain = false; // a cycle was asked for while one was running
    this.paused = false; // logging out: no request is sent until the next login
  }

  /** Reads the stored status (pending changes and photos, last sync), so the first screen already shows it true. */
  async loadStatus() {
    const [{ queued, changes }, photos, lastSyncAt] = await Promise.all([countQueue(), countPendingBlobs(), getMeta('last_sync_at')]);
    this.update({ queued, pending: changes, photos, lastSyncAt: lastSyncAt ?? null });
  }

  /** Starts listening and runs a first cycle (which waits for a login if none). */
  async start() {
    await this.loadStatus();
    window.addEventListener('online', () => {
      this.update({ online: true });
      this.syncNow();
    });
    window.addEventListener('offline', () => {
      this.update({ online: false });
      clearTimeout(this.timer);
    });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.run(); // timers sleep while the app is hidden
    });
    onChange('outbox', () => this.onOutboxChange());
    onChange('blobs', () => this.onPhotosChange());
    return this.run();
  }

  /** Runs a cycle now, forgetting earlier failures ("Sync now", back online, after login). */
  syncNow() {
    this.failures = 0;
    return this.run();
  }

  /**
   * Logging out: no new cycle starts, the one under way stops at its next step or page, and
   * this resolves once it has. The session can then end on the server with nothing still sent
   * on its token.
   */
  async pause() {
    this.paused = true;
    this.runAgain = false;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Called after a successful login: the same queue goes out unchanged. */
  resumeAfterLogin() {
    this.paused = false;
    this.update({ loginRequired: false, error: null });
    return this.syncNow();
  }

  /**
   * Marks the session refused: no more requests until `resumeAfterLogin`. Heard again (a cycle
   * that started before another request's 401), it still ends that cycle's phase, so the bar
   * never stays on "uploading" beside the login screen.
   */
  requireLogin() {
    clearTimeout(this.timer);
    if (this.paused) return; // a logout, not a refused session
    const first = !this.status.loginRequired;
    this.update({ loginRequired: true, phase: 'idle', error: { code: 'unauthorized' } });
    if (first) this.dispatchEvent(new Event(LOGIN_REQUIRED_EVENT));
  }

  /** Runs one cycle, or joins the running one and asks for another after it. */
  run() {
    if (this.running) {
      this.runAgain = true;
      return this.running;
    }
    this.running = this.cycle().finally(() => {
      this.running = null;
      if (this.runAgain) {
        this.runAgain = false;
        this.run();
      }
    });
    return this.running;
  }

  async cycle() {
    clearTimeout(this.timer);
    if (this.paused || this.status.loginRequired || !this.session.isLoggedIn) return;
    if (!navigator.onLine) {
      this.update({ online: false });
      return; // the `online` event starts the next cycle
    }
    try {
      const { pushOutbox, pullChanges, syncInbox, uploadPendingBlobs } = await loadSyncSteps();
      // One tab at a time talks to the server; the others wait and then find little to do.
      const refused = await withSyncLock(async () => {
        if (this.status.loginRequired || this.paused) return true; // refused or logged out while this cycle waited for the lock
        // Read each time: a new user's login gives the device a new client id.
        const clientId = await getMeta('client_id');
        this.update({ phase: 'pushing' });
        // Photos go up before the records that name them, so others see them at once; a
        // server fault on a photo waits for the end of the cycle and never holds back the push.
        const uploadError = await this.uploadPhotos(uploadPendingBlobs);
        this.stopIfPaused();
        await pushOutbox(this.api, clientId);
        this.stopIfPaused();
        this.update({ phase: 'pulling', received: 0, pages: 0 });
        await pullChanges(this.api, clientId, (progress) => {
          this.stopIfPaused();
          this.update(progress);
        });
        this.stopIfPaused();
        await syncInbox(this.api);
        // Photos taken while this cycle ran.
        const lateUploadError = await this.uploadPhotos(uploadPendingBlobs);
        if (uploadError ?? lateUploadError) throw uploadError ?? lateUploadError;
        return false;
      });
      if (refused) return;
      if (this.api.serverTimeMs) await observeServerTime(this.api.serverTimeMs);
      const lastSyncAt = new Date().toISOString();
      await setMeta('last_sync_at', lastSyncAt);
      this.failures = 0;
      // navigator.onLine, not true: the phone may have gone offline while the last answers came in.
      // Counted before navigator.onLine is read: an `offline` event during the counting must win.
      const [{ queued, changes }, photos] = await Promise.all([countQueue(), countPendingBlobs()]);
      this.update({ phase: 'idle', online: navigator.onLine, error: null, lastSyncAt, queued, pending: changes, photos });
      this.schedule(INTERVAL_MS);
    } catch (error) {
      if (error instanceof Paused) {
        this.update({ phase: 'idle' });
        return;
      }
      if (error instanceof ApiError && error.status === 401) {
        this.requireLogin();
        return;
      }
      this.failures += 1;
      const { queued, changes } = await countQueue();
      this.update({ phase: 'idle', error: describeError(error), queued, pending: changes, photos: await countPendingBlobs() });
      this.schedule(backoffDelay(this.failures));
    }
  }

  /** Ends the cycle under way between two steps (or pages) once a logout has paused the engine. */
  stopIfPaused() {
    if (this.paused) throw new Paused();
  }

  /**
   * The upload step: in phase 'uploading' with its progress while photos wait, then back to the
   * phase it interrupted. Returns a server fault (see uploadCatchingServerFaults).
   */
  async uploadPhotos(uploadPendingBlobs) {
    const photos = await countPendingBlobs();
    this.update({ photos });
    if (photos === 0) return null;
    const { phase } = this.status;
    this.update({ phase: 'uploading', uploaded: 0, uploads: photos, sentBytes: 0, totalBytes: 0 });
    try {
      return await uploadCatchingServerFaults(this.api, uploadPendingBlobs, (progress) => this.update(progress));
    } finally {
      this.update({ phase });
    }
  }

  schedule(delayMs) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), delayMs);
  }

  /** Keeps the pending count true and pushes new local changes soon. */
  async onOutboxChange() {
    const before = this.status.queued;
    const { queued, changes } = await countQueue();
    this.update({ queued, pending: changes });
    if (queued > before) this.soon();
  }

  /** Keeps the count of photos waiting true (a photo taken, uploaded or refused) and uploads new ones soon. */
  async onPhotosChange() {
    const before = this.status.photos;
    const photos = await countPendingBlobs();
    this.update({ photos });
    if (photos > before) this.soon();
  }

  /** A cycle about a second from now (or right after the one under way), unless offline or backing off. */
  soon() {
    if (this.failures > 0 || !navigator.onLine) return;
    if (this.running) this.runAgain = true;
    else this.schedule(AFTER_LOCAL_CHANGE_MS);
  }

  update(changes) {
    Object.assign(this.status, changes);
    this.dispatchEvent(new CustomEvent(STATUS_EVENT, { detail: this.status }));
  }
}

/** A cycle stopped by `pause()`: not a failure, nothing to back off from. */
class Paused extends Error {}

/** Error summary for the status bar: `code` picks the localized text. */
function describeError(error) {
  if (error instanceof ApiError) {
    const code = error.retryable ? 'server' : error.status === 403 ? 'forbidden' : 'http';
    return { code, status: error.status, message: error.message };
  }
  if (error?.name === 'NetworkError') return { code: 'network', message: error.message };
  return { code: 'client', message: error?.message ?? String(error) };
}

/** Uploads pending photos; returns (rather than throws) a server fault, throws network errors and 401. */
async function uploadCatchingServerFaults(api, uploadPendingBlobs, onProgress) {
  try {
    await uploadPendingBlobs(api, onProgress);
    return null;
  } catch (error) {
    if (error instanceof ApiError && error.status !== 401) return error;
    throw error;
  }
}

/**
 * The push, pull, inbox and photo steps, loaded with the first cycle (after the first screen has
 * drawn), so the app starts with fewer modules; the service worker precaches them for offline.
 */
let syncSteps = null;
function loadSyncSteps() {
  syncSteps ??= Promise.all([import('./push.js'), import('./pull.js'), import('./inbox_sync.js'), import('./blob_upload.js')])
    .then(([push, pull, inbox, blobs]) => ({
      pushOutbox: push.pushOutbox,
      pullChanges: pull.pullChanges,
      syncInbox: inbox.syncInbox,
      uploadPendingBlobs: blobs.uploadPendingBlobs,
    }), (error) => {
      syncSteps = null; // try again next cycle
      throw error;
    });
  return syncSteps;
}

function withSyncLock(work) {
  return navigator.locks ? navigator.locks.request('gridline-sync', work) : work();
}
