/** Short messages ("Saved on this phone, will sync…") that disappear by themselves. */

const VISIBLE_MS = 4_000;

export class Toast {
  constructor(element) {
    this.element = element;
    this.timer = null;
  }

  show(message) {
    clearTimeout(this.timer);
    this.element.textContent = message;
    this.element.hidden = false;
    this.timer = setTimeout(() => {
      this.element.hidden = true;
    }, VISIBLE_MS);
  }
}
