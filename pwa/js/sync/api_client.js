/** JSON over fetch for the same-origin API, with the bearer token and typed errors. */

const TIMEOUT_MS = 30_000;

/** The server answered with an error status; `code`, `message` and `fields` come from its JSON body. */
export class ApiError extends Error {
  constructor(status, error = {}) {
    super(error.message || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = error.code ?? `http_${status}`;
    this.fields = error.fields ?? {};
  }

  /** Worth trying again later: the server is down or busy. */
  get retryable() {
    return this.status >= 500 || this.status === 429 || this.status === 408;
  }
}

/** The request never got an answer (offline, DNS, timeout). */
export class NetworkError extends Error {
  constructor(cause) {
    super(cause?.message ?? 'Network error');
    this.name = 'NetworkError';
    this.retryable = true;
  }
}

export class ApiClient {
  /** `getToken()` gives the bearer token; `onUnauthorized(error)` hears every 401 of an authenticated call. */
  constructor({ getToken, onUnauthorized }) {
    this.getToken = getToken;
    this.onUnauthorized = onUnauthorized;
    this.serverTimeMs = null;
    this.inFlight = new Set(); // requests sent and not yet answered
  }

  /** Resolves once every request sent so far has been answered or has failed. */
  async settled() {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /** Runs `send` (a fetch), counted in `inFlight` until it settles. */
  track(send) {
    const sent = send();
    this.inFlight.add(sent);
    sent.finally(() => this.inFlight.delete(sent)).catch(() => {});
    return sent;
  }

  /**
   * Sends one request and resolves with the parsed JSON body (null for 204).
   * `auth: false` sends no session token (login); `token` sends that one instead.
   */
  async request(method, path, { body, auth = true, token = auth ? this.getToken() : null } = {}) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;

    let response;
    try {
      response = await this.track(() => fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        signal: AbortSignal.timeout?.(TIMEOUT_MS),
      }));
    } catch (error) {
      throw new NetworkError(error);
    }

    const date = Date.parse(response.headers.get('Date') ?? '');
    if (!Number.isNaN(date)) this.serverTimeMs = date;

    const payload = response.status === 204 ? null : await response.json().catch(() => null);
    if (response.ok) return payload;
    const error = new ApiError(response.status, payload?.error);
    if (response.status === 401 && auth) this.onUnauthorized?.(error);
    throw error;
  }

  /**
   * Sends raw bytes or asks for them (blobs, QR codes) and resolves with the fetch Response.
   * Statuses in `accept` come back as they are; any other error status throws an ApiError.
   */
  async fetchRaw(method, path, { body, contentType, accept = [] } = {}) {
    const headers = {};
    const token = this.getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (contentType) headers['Content-Type'] = contentType;
    let response;
    try {
      response = await this.track(() => fetch(path, { method, headers, body, signal: AbortSignal.timeout?.(TIMEOUT_MS * 4) }));
    } catch (error) {
      throw new NetworkError(error);
    }
    if (response.ok || accept.includes(response.status)) return response;
    const payload = method === 'HEAD' ? null : await response.json().catch(() => null);
    const error = new ApiError(response.status, payload?.error);
    if (response.status === 401) this.onUnauthorized?.(error);
    throw error;
  }

  get(path) {
    return this.request('GET', path);
  }

  post(path, body, options) {
    return this.request('POST', path, { ...options, body });
  }

  delete(path) {
    return this.request('DELETE', path);
  }
}
