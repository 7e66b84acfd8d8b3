/** Base of every screen: owns one <section>, re-renders on data changes, cleans up on leave. */
import { onChange } from '../db/change_feed.js';
import { h } from './dom.js';

const RENDER_DELAY_MS = 80;

export class Screen {
  constructor(app, params = {}, query = new URLSearchParams()) {
    this.app = app;
    this.params = params;
    this.query = query;
    this.element = h('section', { class: 'screen' });
    this.cleanups = [];
    this.renderTimer = null;
    this.dirty = false; // a form screen sets this while it holds unsaved typing
    this.shownValues = {}; // what a form screen showed when drawn, for changedFields
    this.draft = null; // a form screen's FormDraft, keeping its typing on the device
  }

  /** Fills `this.element`; screens override this. */
  async render() {}

  /**
   * Replaces the screen's content; arrays are flattened and null/false children skipped. A field
   * being typed in keeps the focus and the caret when its redrawn twin (same id) takes its place,
   * in the same task, so no keystroke falls between the two.
   */
  show(...children) {
    const typing = document.activeElement;
    const id = typing?.id && this.element.contains(typing) ? typing.id : null;
    const caret = id && typeof typing.selectionStart === 'number' ? [typing.selectionStart, typing.selectionEnd] : null;
    this.element.replaceChildren(...children.flat(Infinity).filter((child) => child != null && child !== false));
    if (!id || typing.isConnected) return;
    const twin = this.element.querySelector(`#${CSS.escape(id)}`);
    if (!twin) return;
    twin.focus({ preventScroll: true });
    if (caret && typeof twin.setSelectionRange === 'function') {
      try { twin.setSelectionRange(...caret); } catch { /* a field without a caret (e.g. a number input) */ }
    }
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

  /** Re-renders (once per burst) whenever stored data of `topic` changes. */
  refreshOn(topic) {
    this.cleanups.push(onChange(topic, () => this.scheduleRender()));
  }

  scheduleRender() {
    clearTimeout(this.renderTimer);
    this.renderTimer = setTimeout(() => this.render(), RENDER_DELAY_MS);
  }

  /** Registers a function to run when the screen is left. */
  onDestroy(cleanup) {
    this.cleanups.push(cleanup);
  }

  destroy() {
    clearTimeout(this.renderTimer);
    for (const cleanup of this.cleanups) cleanup();
  }
}
