/** One record (deep link /r/<type>/<id>): every field, its status actions, and its history when online. */
import { loadView } from '../sync/local_view.js';
import { RECORD_TYPES } from '../sync/record_types.js';
import { h } from './dom.js';
import { formatDateTime, t } from './i18n.js';
import { loadNameDirectory } from './name_directory.js';
import { fieldLabel, formatFieldValue, recordTitle, stateLabel, typeLabel } from './record_text.js';
import { Screen } from './screen.js';
import { StatusActions } from './status_actions.js';

export class RecordDetailScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.history = null; // {entries} or {error}, for the server version `historySeq`
    this.historySeq = undefined; // the record's seq when the history was asked for
    this.refreshOn('records');
  }

  async render() {
    const { type, id } = this.params;
    const [view, nameOf] = await Promise.all([loadView(type, id), loadNameDirectory(this.app)]);
    if (!view) {
      this.show(
        h('h1', { tabindex: '-1' }, typeLabel(type)),
        h('p', { class: 'empty', testid: 'record-missing' }, t('record.missing')));
      return;
    }
    const status = view.fields.status;
    this.show(
      h('header', { class: 'screen-header' },
        h('p', { class: 'eyebrow' }, typeLabel(type)),
        h('h1', { tabindex: '-1' }, recordTitle(view)),
        h('p', { class: 'record-tags' },
          status ? h('span', { class: `chip chip-${status}`, testid: 'record-status' }, stateLabel(status)) : null,
          view.pending ? h('span', { class: 'chip chip-pending', testid: 'record-pending' }, t('record.notSynced')) : null)),
      StatusActions(this.app, view),
      type === 'task' ? h('a', { class: 'button button-block', href: `/r/task/${id}/edit`, testid: 'edit-record' }, t('record.edit')) : null,
      h('dl', { class: 'fields', testid: 'record-detail' }, orderedFields(view).map((name) => [
        h('dt', {}, fieldLabel(name)),
        h('dd', { testid: `record-field-${name}` }, formatFieldValue(name, view.fields[name], nameOf)),
      ])),
      view.updatedAt ? h('p', { class: 'muted' }, lastChange(view, nameOf)) : null,
      this.historySection(nameOf));
    this.loadHistory(view.serverSeq);
  }

  historySection(nameOf) {
    const section = h('section', { class: 'history', testid: 'record-history', 'aria-labelledby': 'history-heading' },
      h('h2', { id: 'history-heading' }, t('history.title')));
    if (!this.history) section.append(h('p', { class: 'muted' }, navigator.onLine ? t('history.loading') : t('history.offline')));
    else if (this.history.error) section.append(h('p', { class: 'muted' }, t('history.failed')));
    else if (this.history.entries.length === 0) section.append(h('p', { class: 'muted' }, t('history.empty')));
    else {
      section.append(h('ol', { class: 'history-list' }, this.history.entries.map((entry) => HistoryEntry(entry, nameOf))));
    }
    return section;
  }

  /** Fetches the history when online, again whenever a sync brought a newer server version. */
  async loadHistory(seq) {
    if (seq === this.historySeq || !navigator.onLine) return;
    this.historySeq = seq;
    const { type, id } = this.params;
    try {
      const body = await this.app.api.get(`/api/records/${encodeURIComponent(type)}/${encodeURIComponent(id)}/history`);
      this.history = { entries: Array.isArray(body) ? body : body?.history ?? [] };
    } catch (error) {
      // A record created on this device and not yet pushed has no history on the server.
      this.history = error.status === 404 ? { entries: [] } : { error };
    }
    this.scheduleRender();
  }
}

/** "Last changed <when> by <who>", leaving out who when the id is unknown here. */
function lastChange(view, nameOf) {
  const when = formatDateTime(view.updatedAt);
  const who = nameOf(view.updatedBy);
  return who ? t('record.updated', { when, who }) : t('record.updatedAt', { when });
}

/** One field change: "Field: old → new", then who, when, and whether the value lost to a newer one. */
function HistoryEntry(entry, nameOf) {
  const change = `${fieldLabel(entry.field)}: ${formatFieldValue(entry.field, entry.old, nameOf)} → ${formatFieldValue(entry.field, entry.new, nameOf)}`;
  const who = entry.user_name ?? nameOf(entry.user_id ?? entry.user);
  const hlcMs = Number(String(entry.hlc ?? '').slice(0, 15)); // the HLC starts with the writer's clock
  const when = entry.at ?? entry.created_at ?? (hlcMs > 0 ? new Date(hlcMs).toISOString() : null);
  return h('li', { class: entry.lost ? 'history-lost' : null },
    h('span', { class: 'history-change' }, change),
    h('span', { class: 'muted' }, [who, when ? formatDateTime(when) : null, entry.lost ? t('history.lost') : null]
      .filter(Boolean).join(' · ')));
}

/** The type's known fields in declared order, then any the server added. */
function orderedFields(view) {
  const known = Object.keys(RECORD_TYPES[view.type]?.fields ?? {});
  const present = Object.keys(view.fields);
  return [...known.filter((name) => present.includes(name)), ...present.filter((name) => !known.includes(name))];
}
