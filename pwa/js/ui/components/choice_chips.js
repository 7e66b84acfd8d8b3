/**
 * One choice out of a few as big toggle buttons (category, channel, pass / fail / n.a., scores).
 * They are radio inputs in a fieldset, so each option is labelled and the group has a name;
 * the input hides behind its label, which is the ≥48 px target.
 */
import { h } from '../dom.js';

/**
 * `options`: `[[value, label], …]`. Each label gets `data-testid="<testid>-<value>"`, the
 * fieldset `data-testid="<testid>"`. `onChange(value)` hears the user's picks.
 */
export function ChoiceChips({ name, legend, options, value = null, testid, onChange, className = '', hint, legendHidden = false }) {
  return h('fieldset', { class: `choices ${className}`, testid },
    h('legend', { class: legendHidden ? 'visually-hidden' : null }, legend),
    hint ? h('p', { class: 'hint' }, hint) : null,
    h('div', { class: 'choice-row' }, options.map(([optionValue, label]) => h('label', {
      class: `choice choice-${optionValue}`, testid: testid ? `${testid}-${optionValue}` : null,
    },
    h('input', {
      type: 'radio', name, value: optionValue, checked: optionValue === value,
      onchange: (event) => {
        if (event.target.checked) onChange?.(optionValue);
      },
    }),
    h('span', {}, label)))));
}

/** The picked value of a ChoiceChips group inside `root`, or null. */
export function chosenValue(root, name) {
  return root.querySelector(`input[name="${CSS.escape(name)}"]:checked`)?.value ?? null;
}
