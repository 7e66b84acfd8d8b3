/**
 * Keeps a form on the device as it is typed, so nothing typed is lost: written to the `drafts`
 * store (db/drafts.js) within a second of the last change, at once when the page is hidden or
 * left, and given back with a "Draft restored · Discard" banner when the form is opened again.
 * A form screen makes one in its constructor, calls `attach(form)` once the form is drawn,
 * `changed()` after a change that fires no input event (photos, steppers' buttons) and `saved()`
 * once Save has queued the record.
 */
import { readDraft, removeDraft, writeDraft } from '../../db/drafts.js';
import { ConfirmButton } from './confirm_button.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';

const SAVE_DELAY_MS = 600; // written this long after the last keystroke
const SUMMARY_MAX = 80;
// Controls whose value is typed: restoring them fires `input` only, never `change`, since a
// screen may treat `change` as "done typing" (the briefing queues its text then).
const TYPED = new Set(['text', 'textarea', 'search', 'tel', 'email', 'url']);

/** The values of a form's named controls: a radio group as its pick, checkboxes as the ticked values. */
export function controlValues(form) {
  const values = {};
  for (const control of form.elements) {
    const { name, type } = control;
    if (!name || control.disabled || ['file', 'submit', 'button', 'reset'].includes(type)) continue;
    if (type === 'radio') {
      if (control.checked) values[name] = control.value;
      else values[name] ??= null;
    } else if (type === 'checkbox') {
      values[name] ??= [];
      if (control.checked) values[name].push(control.value);
    } else values[name] = control.value;
  }
  return values;
}

/** Puts `values` back into the form's controls (those still there) and tells the screen as typing would. */
function applyControlValues(form, values) {
  for (const [name, value] of Object.entries(values)) {
    for (const control of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
      if (control.type === 'radio' || control.type === 'checkbox') {
        const checked = control.type === 'radio' ? control.value === value : (value ?? []).includes(control.value);
        if (control.checked === checked) continue;
        control.checked = checked;
      } else {
        if (control.value === value) continue;
        control.value = value ?? '';
      }
      control.dispatchEvent(new Event('input', { bubbles: true }));
      if (!TYPED.has(control.type)) control.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }
}

export class FormDraft {
  /**
   * `heading`: i18n key naming the form in the home screen's list; `summary()`: what was typed,
   * in a line (default: the first text filled in); `capture()` / `restore(extra)`: what the form
   * holds outside its controls (photos taken, the template chosen); `restore` runs before the
   * controls are filled and may return false to refuse a stale draft. `unsaved()` says whether
   * anything is left to keep (default: the form differs from how it was drawn). `route`: the
   * key and the link back (default: the page's path, so a new record and each edited one differ).
   */
  constructor(screen, { heading, summary, capture = () => null, restore = () => true, unsaved, route = location.pathname }) {
    this.screen = screen;
    this.options = { heading, summary, capture, restore, unsaved };
    this.route = route;
    this.form = null;
    this.pristine = null; // the form as drawn, before a draft was put back
    this.timer = null;
    this.stored = false; // a draft of this form is in the store
    this.closed = false; // saved or discarded: nothing more is written
    const flush = () => this.flush();
    const onHidden = () => {
      if (document.visibilityState === 'hidden') this.flush();
    };
    // A crash, a tab switch or the phone locking ends the page without warning: write what is pending.
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', onHidden);
    screen.onDestroy(() => {
      window.removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', onHidden);
      this.flush(); // leaving the form keeps what was typed
    });
  }

  get userId() {
    return this.screen.app.session.user?.id;
  }

  /**
   * Watches a freshly drawn form and puts the stored draft back into it, with its banner.
   * Resolves with whether a draft was restored.
   */
  async attach(form) {
    const first = this.form === null;
    this.form = form;
    if (first) this.pristine = this.snapshot();
    form.addEventListener('input', () => this.changed());
    form.addEventListener('change', () => this.changed());
    if (!first) return false; // a redraw of the same form: the draft came back the first time
    const draft = this.userId ? await readDraft(this.userId, this.route) : null;
    if (!draft || this.form !== form || this.closed) return false;
    this.stored = true;
    const { controls = {}, extra = null } = draft.state ?? {};
    if (this.options.restore(extra) === false) return false;
    const base = draft.base?.controls ?? {};
    // Only what the user changed comes back: a value the form showed untouched may have been
    // changed since by someone else, and the form now shows theirs.
    const typed = Object.fromEntries(Object.entries(controls).filter(([name, value]) => JSON.stringify(value) !== JSON.stringify(base[name])));
    applyControlValues(form, typed);
    this.screen.dirty = true;
    form.before(this.banner());
    return true;
  }

  banner() {
    return h('div', { class: 'draft-banner', testid: 'draft-banner', role: 'status' },
      h('span', {}, t('draft.restored')),
      // Discarding throws typing away for good: a second tap confirms, as for every such button.
      ConfirmButton({
        label: t('draft.discard'), confirmLabel: t('draft.discardConfirm'), testid: 'draft-discard',
        className: 'button draft-discard', onConfirm: () => this.discard(),
      }));
  }

  /** The form as it stands: its controls and what the screen keeps beside them. */
  snapshot() {
    return { controls: this.form ? controlValues(this.form) : {}, extra: this.options.capture() };
  }

  /** Something changed: write the draft shortly (one write per burst of typing). */
  changed() {
    if (this.closed || !this.form) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.write(), SAVE_DELAY_MS);
  }

  /** Writes a pending change now. */
  flush() {
    if (this.timer === null) return;
    clearTimeout(this.timer);
    this.write();
  }

  write() {
    this.timer = null;
    if (this.closed || !this.form || !this.userId) return Promise.resolve();
    const state = this.snapshot();
    const unsaved = this.options.unsaved ? this.options.unsaved() : JSON.stringify(state) !== JSON.stringify(this.pristine);
    if (!unsaved) {
      if (!this.stored) return Promise.resolve();
      this.stored = false;
      return removeDraft(this.userId, this.route);
    }
    this.stored = true;
    return writeDraft({
      user_id: this.userId, route: this.route, heading: this.options.heading, summary: this.summary(state), state, base: this.pristine,
    });
  }

  summary(state) {
    const text = this.options.summary?.() ?? Object.values(state.controls).find((value) => typeof value === 'string' && value.trim()) ?? '';
    return String(text).trim().replace(/\s+/g, ' ').slice(0, SUMMARY_MAX);
  }

  /** Save queued the record: the draft has done its job. */
  async saved() {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = null;
    if (this.userId) await removeDraft(this.userId, this.route);
  }

  /** "Discard": forgets the draft and shows the form afresh. */
  async discard() {
    await this.saved();
    this.screen.dirty = false;
    await this.screen.app.router.show();
  }
}
