/** UI strings (from /i18n/<locale>.json) and locale-aware formatting of dates, times and numbers. */

export const LOCALES = ['zh-CN', 'en'];
const STORAGE_KEY = 'gridline.locale';

let locale = 'en';
let messages = {};
let pluralRules = new Intl.PluralRules('en');

/** The saved choice, else the browser's language (any `zh*` gives Simplified Chinese). */
export function chooseLocale() {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (LOCALES.includes(saved)) return saved;
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const language of preferred) {
    if (/^zh\b/i.test(language ?? '')) return 'zh-CN';
    if (/^en\b/i.test(language ?? '')) return 'en';
  }
  return 'en';
}

/** Loads a locale's strings and makes it current. */
export async function loadLocale(code) {
  const response = await fetch(`/i18n/${code}.json`);
  messages = await response.json();
  locale = code;
  pluralRules = new Intl.PluralRules(code);
  document.documentElement.lang = code;
}

/** Switches language and remembers the choice on this device. */
export async function switchLocale(code) {
  localStorage.setItem(STORAGE_KEY, code);
  await loadLocale(code);
}

export function currentLocale() {
  return locale;
}

/**
 * The string for `key` with `{name}` placeholders filled from `params`.
 * With `params.count`, `key.zero` (for 0), then `key.one` / `key.other` (per Intl.PluralRules)
 * are used when present.
 */
export function t(key, params = {}) {
  let text = messages[key];
  if (params.count !== undefined) {
    const form = params.count === 0 && `${key}.zero` in messages ? 'zero' : pluralRules.select(params.count);
    text = messages[`${key}.${form}`] ?? messages[`${key}.other`] ?? text;
  }
  text ??= key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (params[name] === undefined ? whole : String(params[name])));
}

/**
 * `t(key, params)` as nodes: a param given as a node (a name or title people typed, wrapped by
 * `userText`) goes in as that node, so the screen says which words are the interface's and
 * which are what people wrote, in whatever language.
 */
export function tNodes(key, params = {}) {
  const text = t(key, Object.fromEntries(Object.entries(params).filter(([, value]) => !(value instanceof Node))));
  return text.split(/\{(\w+)\}/).map((part, index) => (index % 2 ? params[part] ?? `{${part}}` : part)).filter((part) => part !== '');
}

/** Sentences as one text: a space between them, none after a Chinese full stop. */
export function joinSentences(sentences) {
  return sentences.filter(Boolean).join(' ').replace(/([。！？]) /gu, '$1');
}

/** `t(key)` when the key exists, else `fallback` (for labels of fields a server added). */
export function tOr(key, fallback) {
  return key in messages ? messages[key] : fallback;
}

/**
 * One Intl formatter per kind, language and options, made once: making one costs far more than
 * formatting with it, and a list formats a date or a number on every row it draws.
 */
const formatters = new Map();

function formatter(Kind, options) {
  const key = `${Kind.name} ${locale} ${JSON.stringify(options)}`;
  let made = formatters.get(key);
  if (!made) {
    made = new Kind(locale, options);
    formatters.set(key, made);
  }
  return made;
}

/** The date and time formatter of the user's language for `options`, made once. */
export function dateFormatter(options) {
  return formatter(Intl.DateTimeFormat, options);
}

/** A `YYYY-MM-DD` date in the user's language, without timezone shifts (`dateStyle` 'full' adds the weekday). */
export function formatDate(isoDate, dateStyle = 'medium') {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate ?? '');
  if (!match) return isoDate ?? '';
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return dateFormatter({ dateStyle }).format(date);
}

/** An ISO timestamp as local date and time. */
export function formatDateTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso ?? '';
  return dateFormatter({ dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** "3 minutes ago" (or 刚刚 …) for an ISO timestamp. */
export function formatRelative(iso, now = Date.now()) {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  // Chinese reads "54秒前", not the long style's "54秒钟前"; English keeps its full words.
  const style = locale.startsWith('zh') ? 'short' : 'long';
  const format = formatter(Intl.RelativeTimeFormat, { numeric: 'auto', style });
  const steps = [[60, 'second'], [60, 'minute'], [24, 'hour'], [Infinity, 'day']];
  let value = seconds;
  for (const [size, unit] of steps) {
    if (Math.abs(value) < size) return unit === 'second' && Math.abs(value) < 30 ? t('time.justNow') : format.format(value, unit);
    value = Math.round(value / size);
  }
  return formatDateTime(iso);
}

export function formatNumber(value) {
  return formatter(Intl.NumberFormat, {}).format(value);
}
