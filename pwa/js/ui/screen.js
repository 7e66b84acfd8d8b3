/** Base of every screen: owns one <section>, re-renders on data changes, cleans up on leave. */
import { onChange } from '../db/change_feed.js';
import { h } from './dom.js';

const RENDER_DELAY_MS = 80;
/*
 * A redraw that costs much runs less often: the next one starts at least SPACING times as long
 * as the last one took after it ended, so while changes stream in (the pages of a first sync)
 * drawing keeps at most about a quarter of the time; never more than MAX_SPACING_MS, so a change
 * shows within a second. A burst of asks puts a redraw off by RENDER_DELAY_MS each, but not past
 * MAX_SPACING_MS after the first.
 */
const SPACING = 3;
const MAX_SPACING_MS = 1_000;
// Longest a redraw waits for a finger to lift (a release the page never hears must not freeze it).
const PRESS_WAIT_MS = 1_500;

/*
 * A finger (or a mouse button) is down: a redraw now would replace what it pressed, and the
 * browser makes no click when the press and the release land on different elements, so a
 * gloved tap on a link would do nothing. Redraws asked for meanwhile wait for the release and
 * run after the click it makes. A redraw already under way when the finger came down was built
 * from the screen as it was before the tap, which the tap may have changed (a question opened):
 * it shows nothing, and the screen is drawn again after the release.
 */
let press = null; // {target, at}
let presses = 0; // fingers put down so far
const waitingForRelease = new Set();
const holding = new Set();
document.addEventListener('pointerdown', (event) => {
  press = { target: event.target, at: Date.now() };
  presses += 1;
}, true);
for (const type of ['pointerup', 'pointercancel']) {
  document.addEventListener(type, () => {
    press = null;
    setTimeout(() => {
      for (const screen of holding) screen.showHeld();
      for (const screen of waitingForRelease) screen.scheduleRender();
      waitingForRelease.clear();
    }, 0);
  }, true);
}

/** How much longer a redraw waits for the finger to lift: 0 when none is down or the wait is up. */
function pressWaitLeft() {
  return press === null ? 0 : Math.max(0, PRESS_WAIT_MS - (Date.now() - press.at));
}

/** Where the caret of a field is, or null for a control without one. */
function caretOf(field) {
  try {
    return typeof field?.selectionStart === 'number' ? [field.selectionStart, field.selectionEnd] : null;
  } catch {
    return null; // inputs such as number or checkbox throw on reading it
  }
}

export class Screen {
  constructor(app, params = {}, query = new URLSearchParams()) {
    this.app = app;
    this.params = params;
    this.query = query;
    this.element = h('section', { class: 'screen' });
    this.cleanups = [];
    this.renderTimer = null;
    this.askedAt = null; // when the first redraw not yet made was asked for
    this.drawnAt = 0; // when the last redraw ended, and how long it took
    this.drawCost = 0;
    this.dirty = false; // a form screen sets this while it holds unsaved typing
    this.shownValues = {}; // what a form screen showed when drawn, for changedFields
    this.draft = null; // a form screen's FormDraft, keeping its typing on the device
    this.lostFocus = null; // {field, caret}: what lost the focus in the running task
    this.held = null; // content built while a finger was down on this screen, shown on the release
    this.heldTimer = null;
    this.redrawsFrom = []; // the count of presses when each redraw now running started (redraws may overlap)
    this.builtBeforeTap = false; // a redraw built its content before a tap, and showed none of it
    this.element.addEventListener('focusout', (event) => {
      this.lostFocus = { field: event.target, caret: caretOf(event.target) };
      queueMicrotask(() => { this.lostFocus = null; });
    });
  }

  /** Fills `this.element`; screens override this. */
  async render() {}

  /**
   * Replaces the screen's content; arrays are flattened and null/false children skipped. A field
   * being typed in keeps the focus and the caret, in the same task, so no keystroke falls between
   * the two: the field itself when the screen keeps it across redraws, else its redrawn twin
   * (same id). A kept field moved while the new content was built has already lost the focus
   * (the browser blurs what leaves the page, and the phone's keyboard closes): `lostFocus`
   * remembers it until the end of that task. While a finger is down on the screen, the content
   * is held back and shown on the release (after the click it makes), or when the wait is up.
   * Content built while a redraw that began before a tap ran is not shown: the redraw draws
   * the screen again (see `redraw`).
   */
  show(...children) {
    // Built while a redraw that began before a tap ran (a handler of the tap itself shows at once).
    if (this.redrawsFrom.some((from) => from !== presses) && !globalThis.event) {
      this.builtBeforeTap = true;
      return;
    }
    const left = pressWaitLeft();
    if (left > 0 && press.target instanceof Node && this.element.contains(press.target)) {
      this.held = children;
      holding.add(this);
      clearTimeout(this.heldTimer);
      this.heldTimer = setTimeout(() => this.showHeld(), left);
      return;
    }
    this.dropHeld();
    const active = document.activeElement;
    const typing = active && active !== document.body && this.element.contains(active) ? active : this.lostFocus?.field;
    const caret = typing === active ? caretOf(active) : this.lostFocus?.caret;
    this.element.replaceChildren(...children.flat(Infinity).filter((child) => child != null && child !== false));
    if (!typing) return;
    const heir = typing.isConnected ? typing : typing.id && this.element.querySelector(`#${CSS.escape(typing.id)}`);
    if (!heir || !this.element.contains(heir) || document.activeElement === heir) return;
    if (document.activeElement && document.activeElement !== document.body) return; // the user went on elsewhere
    heir.focus({ preventScroll: true });
    if (caret && typeof heir.setSelectionRange === 'function') {
      try { heir.setSelectionRange(...caret); } catch { /* a field without a caret (e.g. a number input) */ }
    }
  }

  /** Shows the content held back while a finger was down, if any. */
  showHeld() {
    const children = this.held;
    this.dropHeld();
    if (children) this.show(...children);
  }

  dropHeld() {
    this.held = null;
    clearTimeout(this.heldTimer);
    holding.delete(this);
  }

  /** Unsaved typing that a forced navigation (e.g. to login) would lose. */
  isDirty() {
    return this.dirty;
  }

  /** The user changed the form: it holds unsaved work, and its draft is written shortly. */
  touch() {
    this.dirty = true;
    this.draft?.changed();
  }

  /** Remembers the values a form shows as it is drawn, its defaults included. */
  rememberShown(values) {
    this.shownValues = values;
  }

  /**
   * The values that differ from what the form showed: all an edit sends. Compared with the form,
   * not the record, so a default it filled in never overwrites someone else's concurrent change.
   */
  changedFields(values) {
    return Object.fromEntries(Object.entries(values).filter(([name, value]) => value !== this.shownValues[name]));
  }

  /**
   * Re-renders (once per burst) whenever stored data of `topic` changes; a screen of `records`
   * also when the project's members, whose names it shows, come back changed from the server.
   */
  refreshOn(topic) {
    for (const heard of topic === 'records' ? ['records', 'members'] : [topic]) {
      this.cleanups.push(onChange(heard, () => this.scheduleRender()));
    }
  }

  scheduleRender() {
    clearTimeout(this.renderTimer);
    const now = performance.now();
    this.askedAt ??= now;
    const spaced = Math.min(MAX_SPACING_MS, SPACING * this.drawCost) - (now - this.drawnAt);
    const delay = Math.max(spaced, Math.min(RENDER_DELAY_MS, this.askedAt + MAX_SPACING_MS - now));
    this.renderTimer = setTimeout(() => this.renderWhenFree(), Math.max(0, delay));
  }

  renderWhenFree() {
    const left = pressWaitLeft();
    if (left > 0) {
      // On the release, or when the wait is up if the page never hears it.
      waitingForRelease.add(this);
      this.renderTimer = setTimeout(() => {
        waitingForRelease.delete(this);
        this.redraw();
      }, left);
      return;
    }
    this.redraw();
  }

  /**
   * Renders, and keeps how long it took for the spacing of the next redraw. A tap while it ran
   * leaves what it built unshown, and the screen is drawn again (after the release).
   */
  async redraw() {
    this.askedAt = null;
    const started = performance.now();
    const from = presses;
    this.redrawsFrom.push(from);
    try {
      await this.render();
    } finally {
      this.redrawsFrom.splice(this.redrawsFrom.indexOf(from), 1);
      this.drawnAt = performance.now();
      this.drawCost = this.drawnAt - started;
    }
    if (this.builtBeforeTap) {
      this.builtBeforeTap = false;
      this.scheduleRender();
    }
  }

  /** Registers a function to run when the screen is left. */
  onDestroy(cleanup) {
    this.cleanups.push(cleanup);
  }

  destroy() {
    clearTimeout(this.renderTimer);
    waitingForRelease.delete(this);
    this.dropHeld();
    for (const cleanup of this.cleanups) cleanup();
  }
}
