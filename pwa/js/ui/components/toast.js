/** Short messages ("Saved on this phone, will sync…") that disappear by themselves. */
import { h } from '../dom.js';

const VISIBLE_MS = 4_000;

export class Toast {
  constructor(element) {
    this.element = element;
    this.timer = null;
  }

  /**
   * Shows `message`; with `action` (`{label, testid, run}`) a button beside it, and the message
   * stays `ms` long (an undo lasts as long as it can still undo).
   */
  show(message, { action = null, ms = VISIBLE_MS } = {}) {
    clearTimeout(this.timer);
    const parts = [h('span', {}, message)];
    if (action) {
      parts.push(h('button', {
        type: 'button', class: 'toast-action', testid: action.testid ?? 'toast-action',
        onclick: () => {
          this.hide();
          action.run();
        },
      }, action.label));
    }
    this.element.replaceChildren(...parts); // replaceChildren would write a null as the text "null"
    this.element.hidden = false;
    this.timer = setTimeout(() => this.hide(), ms);
  }

  hide() {
    clearTimeout(this.timer);
    this.element.hidden = true;
  }
}
