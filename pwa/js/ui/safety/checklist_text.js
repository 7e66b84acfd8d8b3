/** Checklist templates (synced `checklist` records) in the user's language. */
import { loadViews } from '../../sync/local_view.js';
import { currentLocale, formatDate } from '../i18n.js';

const english = () => currentLocale() === 'en';

/** A template's name: English when the app is in English and the template has one. */
export function templateName(template) {
  if (!template) return '';
  return (english() && template.fields.name_en) || template.fields.name || template.fields.code;
}

/** An item's text in the app's language. */
export function itemText(item) {
  return (english() && item.text_en) || item.text || item.code;
}

/** Templates of a project (active ones unless `all`), built-ins first, then by name. */
export async function loadChecklists(projectId, { all = false } = {}) {
  const templates = (await loadViews('checklist'))
    .filter((template) => template.fields.project_id === projectId && (all || template.fields.active !== false));
  return templates.sort((a, b) => Number(Boolean(b.fields.builtin)) - Number(Boolean(a.fields.builtin))
    || templateName(a).localeCompare(templateName(b), currentLocale()));
}

/** The template a check was made from (by code, within its project), or undefined. */
export function templateOf(check, templates) {
  return templates.find((template) => template.fields.code === check.fields.template
    && template.fields.project_id === check.fields.project_id);
}

/** A check's title in lists: what was checked and when. */
export function checkTitle(check, templates) {
  const template = templateOf(check, templates);
  return [template ? templateName(template) : check.fields.template, formatDate(check.fields.date)].filter(Boolean).join(' · ');
}
