/**
 * Bottom navigation built from the routes that declare a `nav` entry, with badges for inbox
 * counts and the approvals waiting (also on the app icon, where the Badging API is). An entry
 * marked `decidersOnly` shows only to users whose role decides approvals.
 */
import { onChange } from '../../db/change_feed.js';
import { CONFLICTS, readInbox, REJECTED } from '../../db/inbox.js';
import { loadLiveViews } from '../../sync/my_day.js';
import { decidesAny, mayDecide, rolesIn } from '../../sync/permissions.js';
import { h, icon } from '../dom.js';
import { t } from '../i18n.js';

export class NavBar {
  constructor(element, routes, app) {
    this.element = element;
    this.app = app;
    this.items = routes.filter((route) => route.nav).sort((a, b) => a.nav.order - b.nav.order);
    this.active = null;
    this.drawn = null; // what the bar shows now (labels, current entry, counts), to skip redraws that change nothing
    this.counts = { [REJECTED]: 0, [CONFLICTS]: 0, approvals: 0 };
    this.decides = false; // the user's role decides approvals
    onChange('inbox', () => this.loadCounts());
    onChange('records', () => this.loadCounts());
    this.loadCounts();
  }

  async loadCounts() {
    const session = this.app?.session;
    const roles = session?.user ? rolesIn(session, session.memberships[0]?.project_id) : [];
    this.decides = Boolean(session?.user) && decidesAny(roles);
    const [rejected, conflicts, approvals] = await Promise.all([
      readInbox(REJECTED), readInbox(CONFLICTS), this.decides ? loadLiveViews('approval') : []]);
    // Only what this user decides: a safety officer's badge counts rectifications, not tasks.
    const waiting = approvals.filter((view) => mayDecide(roles, view.fields.kind)).length;
    if (waiting !== this.counts.approvals && 'setAppBadge' in navigator) {
      (waiting ? navigator.setAppBadge(waiting) : navigator.clearAppBadge()).catch(() => {});
    }
    this.counts = { [REJECTED]: rejected.length, [CONFLICTS]: conflicts.length, approvals: waiting };
    this.render();
  }

  setActive(route) {
    this.active = route;
    this.render();
  }

  /** Draws the bar, unless it already shows the same labels, current entry and counts (a redraw flickers). */
  render() {
    const entries = this.items.filter((route) => !route.nav.decidersOnly || this.decides).map((route) => ({
      route,
      label: t(route.nav.labelKey),
      current: this.active?.name === route.name || this.active?.section === route.name,
      count: route.nav.badge ? this.counts[route.nav.badge] : 0,
    }));
    const drawing = JSON.stringify([t('nav.label'), entries.map(({ label, current, count }) => [label, current, count])]);
    if (drawing === this.drawn) return;
    this.drawn = drawing;
    this.element.setAttribute('aria-label', t('nav.label'));
    this.element.replaceChildren(h('ul', {}, entries.map(({ route, label, current, count }) => h('li', {},
      h('a', { href: route.path, testid: `nav-${route.name}`, 'aria-current': current ? 'page' : null },
        icon(route.nav.icon),
        h('span', { class: 'nav-label' }, label),
        count > 0 ? h('span', { class: 'badge', testid: `nav-${route.name}-count` }, String(count)) : null)))));
  }
}
