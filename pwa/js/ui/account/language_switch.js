/** Language picker (中文 / English), remembered on this device. */
import { h } from '../dom.js';
import { currentLocale, LOCALES, t } from '../i18n.js';

const NAMES = { 'zh-CN': '简体中文', en: 'English' };

/** A labelled <select>; `onChange(code)` switches the app's language. */
export function LanguageSwitch(onChange) {
  const id = 'language-switch';
  return h('div', { class: 'field' },
    h('label', { for: id }, t('settings.language')),
    h('select', { id, testid: 'language-switch', value: currentLocale(), onchange: (event) => onChange(event.target.value) },
      LOCALES.map((code) => h('option', { value: code, lang: code }, NAMES[code]))));
}
