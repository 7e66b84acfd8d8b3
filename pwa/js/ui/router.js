/** History-API routing: matches a path against the route registry and shows its screen. */

/** Turns '/r/:type/:id' into a regular expression with named groups. */
function compile(path) {
  const pattern = path.replace(/\/:(\w+)/g, '/(?<$1>[^/]+)');
  return new RegExp(`^${pattern}/?$`);
}

export class Router {
  /** `routes`: `[{name, path, screen | load, params?, public?, chrome?}]`; the first match wins. */
  constructor(app, routes, outlet) {
    this.app = app;
    this.routes = routes.map((route) => ({ ...route, pattern: compile(route.path) }));
    this.outlet = outlet;
    this.current = null; // {route, screen}
    this.shown = 0; // counts show() calls, so a slow screen module never replaces a newer screen
  }

  start() {
    window.addEventListener('popstate', () => this.show());
    // Same-origin links navigate in the page; the server would answer them with index.html anyway.
    document.addEventListener('click', (event) => {
      const link = event.target.closest?.('a[href]');
      if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
      if (link.target || link.hasAttribute('download')) return;
      const url = new URL(link.href);
      if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
      event.preventDefault();
      this.navigate(url.pathname + url.search);
    });
    return this.show();
  }

  /**
   * Starts loading the current path's screen module while the app is still starting, so its
   * download overlaps the language and database set-up. Public screens (login) at once; any
   * other only once a user is known (`loggedIn`), as it would be redirected to login otherwise.
   */
  preload({ loggedIn = false } = {}) {
    const { route } = this.match(location.pathname);
    if ((route.public || loggedIn) && route.load) route.load().catch(() => {}); // show() reports a failure
  }

  /** Goes to a path (adding a history entry unless `replace`). */
  navigate(path, { replace = false } = {}) {
    if (replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
    return this.show();
  }

  /** Shows the screen for the current location. */
  async show() {
    const ticket = ++this.shown;
    const matched = this.match(location.pathname);
    const { route } = matched;
    let { params } = matched;
    const redirect = this.app.loginRedirect(route);
    if (redirect) return this.navigate(redirect, { replace: true });
    // Screens load on first use (`load`), keeping the start of the app small.
    let ScreenClass = route.screen;
    if (!ScreenClass) {
      try {
        ScreenClass = await route.load();
      } catch (error) {
        // Only before the service worker has cached the app, and offline: say so instead of a blank page.
        console.warn('screen module failed to load', error);
        ScreenClass = this.routes.find((candidate) => candidate.name === 'not-found').screen;
        params = { loadFailed: true };
      }
    }
    if (ticket !== this.shown) return undefined; // another navigation won while the module loaded
    this.current?.screen.destroy();
    const screen = new ScreenClass(this.app, params, new URLSearchParams(location.search));
    this.current = { route, screen };
    this.outlet.replaceChildren(screen.element);
    this.app.onRouteChange(route);
    await screen.redraw(); // as any redraw: a tap while it runs leaves what it built unshown
    screen.element.querySelector('h1')?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }

  match(pathname) {
    for (const route of this.routes) {
      const found = route.pattern.exec(pathname);
      if (!found) continue;
      const matched = Object.entries(found.groups ?? {}).map(([name, value]) => [name, decodeURIComponent(value)]);
      return { route, params: { ...route.params, ...Object.fromEntries(matched) } };
    }
    return { route: this.routes.find((route) => route.name === 'not-found'), params: {} };
  }
}
