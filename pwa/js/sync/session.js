/** Who is logged in on this device: token and user, kept in `meta` so the app starts offline. */
import { getMeta, setMeta } from '../db/meta.js';
import { resetDevice } from '../db/device_reset.js';
import { countPendingBlobs } from '../db/pending_blobs.js';
import { countPending } from './outbox.js';
import { usePermissionTable } from './permissions.js';

/** Thrown when another user tries to log in while this device holds someone else's unsynced changes. */
export class UnsyncedChangesOfOtherUserError extends Error {
  constructor(owner, pending) {
    super(`${pending} unsynced changes belong to ${owner.username}`);
    this.name = 'UnsyncedChangesOfOtherUserError';
    this.owner = owner;
    this.pending = pending;
  }
}

export class Session {
  constructor() {
    this.token = null;
    this.user = null;
    this.expiresAt = null;
  }

  /** Reads the saved session. */
  async load() {
    [this.token, this.user, this.expiresAt] = await Promise.all([
      getMeta('token'), getMeta('user'), getMeta('token_expires_at'),
    ]);
    this.token ??= null;
    this.user ??= null;
    usePermissionTable(this.user?.permissions);
  }

  /** A user is known and has a token (it may have expired: the server will say so). */
  get isLoggedIn() {
    return Boolean(this.token && this.user);
  }

  /** The user's roles over every project. */
  get roles() {
    return this.user?.roles ?? [];
  }

  /** Projects the user belongs to: `[{project_id, project_code, project_name, roles}]`. */
  get memberships() {
    return this.user?.memberships ?? [];
  }

  /**
   * Logs in. The device stays bound to its user while it holds that user's unsynced changes;
   * with none pending, another user's login wipes the device and starts a fresh identity.
   */
  async login(api, username, password) {
    const answer = await api.post('/api/auth/login', { username: username.trim(), password }, { auth: false });
    const previous = this.user;
    if (previous && previous.id !== answer.user.id) {
      // Photos not uploaded yet count too: a reset would delete them with the device's data.
      const pending = (await countPending()) + (await countPendingBlobs());
      if (pending > 0) {
        await api.request('POST', '/api/auth/logout', { auth: false, token: answer.token }).catch(() => {});
        throw new UnsyncedChangesOfOtherUserError(previous, pending);
      }
      await resetDevice();
    }
    await this.save(answer.token, answer.user, answer.expires_at);
  }

  /** Refreshes the user (roles, memberships) from the server. */
  async refreshUser(api) {
    const { user } = await api.get('/api/me');
    this.user = user;
    usePermissionTable(user.permissions);
    await setMeta('user', user);
  }

  /**
   * Forgets the token here, then ends the session on the server when reachable (the outbox
   * stays). The caller first stops what else could still be sending on the token.
   */
  async logout(api) {
    const { token } = this;
    await this.forgetToken();
    await api.settled();
    if (token) await api.request('POST', '/api/auth/logout', { auth: false, token }).catch(() => {});
  }

  /** Drops the token but remembers the user, so their queue can be pushed after the next login. */
  async forgetToken() {
    this.token = null;
    await setMeta('token', undefined);
  }

  async save(token, user, expiresAt) {
    Object.assign(this, { token, user, expiresAt });
    usePermissionTable(user?.permissions);
    await Promise.all([setMeta('token', token), setMeta('user', user), setMeta('token_expires_at', expiresAt)]);
  }
}
