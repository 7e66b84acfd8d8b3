/** Composes the page: session, API client, sync loop, shell components and router. */
import { onChange } from '../db/change_feed.js';
import { ensureClientId, getMeta } from '../db/meta.js';
import { ApiClient } from '../sync/api_client.js';
import { Session } from '../sync/session.js';
import { LOGIN_REQUIRED_EVENT, SyncEngine } from '../sync/sync_engine.js';
import { chooseLocale, loadLocale, switchLocale } from './i18n.js';
import { LoginRequiredBanner } from './components/login_required_banner.js';
import { DayNotifier } from './day_notifier.js';
import { NavBar } from './components/nav_bar.js';
import { Router } from './router.js';
import { ROUTES } from './routes.js';
import { registerServiceWorker } from './service_worker_registration.js';
import { StatusBar } from './components/status_bar.js';
import { StorageWarning } from './components/storage_warning.js';
import { Toast } from './components/toast.js';
import { UpdateBanner } from './components/update_banner.js';

export class App {
  constructor(root) {
    this.root = root;
    this.session = new Session();
    this.api = new ApiClient({
      getToken: () => this.session.token,
      onUnauthorized: () => this.engine?.requireLogin(),
    });
    this.engine = null;
    this.router = null;
    this.loginDeferred = false; // the user chose "Later" after the token was refused
  }

  async start() {
    // 0. The router, and the first screen's code downloading while the rest starts.
    const slot = (id) => this.root.querySelector(`#${id}`);
    this.router = new Router(this, ROUTES, slot('main'));
    this.router.preload();
    // 1. Language (every component renders text), device identity and the saved session (so the
    // app opens offline), together; then the first screen's code, if it is for a user.
    await Promise.all([loadLocale(chooseLocale()), ensureClientId(), this.session.load()]);
    if (this.session.isLoggedIn) this.router.preload({ loggedIn: true });
    this.engine = new SyncEngine({ api: this.api, session: this.session });
    this.engine.addEventListener(LOGIN_REQUIRED_EVENT, () => this.onLoginRequired());
    await this.engine.loadStatus(); // the status bar never shows "all synced" over a queue

    // 2. The shell: status bar, banners, navigation, toasts.
    this.statusBar = new StatusBar(slot('status-bar'), this.engine);
    this.storageWarning = new StorageWarning(slot('banners'));
    this.loginBanner = new LoginRequiredBanner(slot('banners'), () => this.goToLogin());
    this.navBar = new NavBar(slot('nav-bar'), ROUTES, this);
    this.dayNotifier = new DayNotifier(this);
    this.updateBanner = new UpdateBanner(slot('banners'));
    this.toast = new Toast(slot('toast'));

    if (this.session.isLoggedIn) await this.storageWarning.check();

    // 3. Show the first screen, then start syncing and the service worker.
    await this.router.start();
    this.engine.start();
    // A new version of a document kept offline replaces the kept copy as soon as it syncs (and
    // at start, for one that synced while a page closed mid-way); no code loads when none is kept.
    const refreshKept = async () => {
      if (!Object.keys((await getMeta('offline_documents')) ?? {}).length) return;
      const copies = await import('./documents/offline_copies.js');
      await copies.refreshOfflineCopies(this);
    };
    onChange('records', refreshKept);
    refreshKept();
    if (this.session.isLoggedIn) this.afterLogin({ fresh: false });
    // Lists never opened get their first rows worked out after a sync (code loaded now, not with the shell).
    import('./first_rows_ahead.js').then(({ FirstRowsAhead }) => { this.firstRowsAhead = new FirstRowsAhead(this); });
    registerServiceWorker((waiting) => this.updateBanner.show(waiting));
  }

  /** Starts what needs a user: syncing (after a fresh login), the refreshed profile, persistent storage. */
  afterLogin({ fresh }) {
    this.loginDeferred = false;
    this.loginBanner.hide();
    if (fresh) this.engine.resumeAfterLogin();
    if (navigator.onLine) this.session.refreshUser(this.api).catch(() => {});
    this.storageWarning.requestPersistence();
  }

  /** The server refused the token: show login, unless that would throw away what the user is typing. */
  onLoginRequired() {
    this.loginDeferred = false;
    const current = this.router.current;
    if (!current || current.route.public) return;
    if (current.screen.isDirty()) this.loginBanner.show();
    else this.goToLogin();
  }

  /** "Later" on the login screen: keep working on this phone; the banner offers login again. */
  deferLogin() {
    this.loginDeferred = true;
    this.loginBanner.show();
  }

  /** The login path a route must redirect to (no session, or a refused token not deferred), else null. */
  loginRedirect(route) {
    if (route.public) return null;
    const refused = this.engine?.status.loginRequired && !this.loginDeferred;
    if (this.session.isLoggedIn && !refused) return null;
    return loginPathFromHere();
  }

  goToLogin() {
    return this.router.navigate(loginPathFromHere());
  }

  /** Keeps the shell in step with the route (login has no navigation bar). */
  onRouteChange(route) {
    this.navBar.setActive(route);
    this.navBar.element.hidden = route.chrome === false;
  }

  /** Shows a short message to the user. */
  notify(message, options) {
    this.toast.show(message, options);
  }

  /** Switches the language and redraws everything on screen. */
  async changeLocale(code) {
    await switchLocale(code);
    this.statusBar.render();
    this.navBar.render();
    this.storageWarning.render();
    this.loginBanner.render();
    this.updateBanner.render();
    await this.router.show();
  }
}

/** The login screen, set to come back to the current page. */
function loginPathFromHere() {
  return `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
}
