/** A button that asks for a second tap before doing something that cannot be undone (gloves slip). */
import { h } from '../dom.js';

const ARMED_MS = 5_000;

/** First tap shows `confirmLabel`; a second tap within 5 s runs `onConfirm`. */
export function ConfirmButton({ label, confirmLabel, testid, className = 'button', onConfirm }) {
  let timer = null;
  const button = h('button', {
    type: 'button', class: className, testid,
    onclick: () => {
      if (button.dataset.armed !== 'true') {
        button.dataset.armed = 'true';
        button.textContent = confirmLabel;
        timer = setTimeout(disarm, ARMED_MS);
        return;
      }
      disarm();
      onConfirm();
    },
  }, label);
  function disarm() {
    clearTimeout(timer);
    button.dataset.armed = 'false';
    button.textContent = label;
  }
  return button;
}
