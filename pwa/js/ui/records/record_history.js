/** A record's change history from the server (online only), refetched when a sync brings a newer version. */
import { h, userText } from '../dom.js';
import { formatDateTime, t, tNodes, tOr } from '../i18n.js';
import { fieldLabel, formatFieldValue } from '../components/record_text.js';

export class RecordHistory {
  /**
   * `onLoaded()` is called when an answer arrives, so the screen can redraw. `format[field](value)`
   * may say how a screen shows a field's values (e.g. a checklist code as the checklist's name).
   */
  constructor(app, type, id, onLoaded, { format = {} } = {}) {
    Object.assign(this, { app, type, id, onLoaded, format });
    this.history = null; // {entries} or {error}, for the server version `historySeq`
    this.historySeq = undefined; // the record's seq when the history was asked for
  }

  /** The history section as known now. */
  element(nameOf) {
    const section = h('section', { class: 'history', testid: 'record-history', 'aria-labelledby': 'history-heading' },
      h('h2', { id: 'history-heading' }, t('history.title')));
    if (!this.history) section.append(h('p', { class: 'muted' }, navigator.onLine ? t('history.loading') : t('history.offline')));
    else if (this.history.error) section.append(h('p', { class: 'muted' }, t('history.failed')));
    else if (this.history.entries.length === 0) section.append(h('p', { class: 'muted' }, t('history.empty')));
    else {
      section.append(h('ol', { class: 'history-list' }, this.history.entries.map((entry) => HistoryEntry(entry, nameOf, this.format))));
    }
    return section;
  }

  /** Fetches the history when online, again whenever a sync brought a newer server version. */
  async load(seq) {
    if (seq === this.historySeq || !navigator.onLine) return;
    this.historySeq = seq;
    if (seq == null) {
      // Never pulled: made on this phone and not synced yet, so the server has no history to give.
      this.history = { entries: [] };
      this.onLoaded();
      return;
    }
    try {
      const body = await this.app.api.get(`/api/records/${encodeURIComponent(this.type)}/${encodeURIComponent(this.id)}/history`);
      this.history = { entries: Array.isArray(body) ? body : body?.history ?? [] };
    } catch (error) {
      // A record created on this device and not yet pushed has no history on the server.
      this.history = error.status === 404 ? { entries: [] } : { error };
    }
    this.onLoaded();
  }
}

/**
 * One field change: "Field: old → new", then who, when, and whether the value lost to a newer one.
 * A map field's key comes after a dot (`results.EX02`): "Results EX02: — → Fail".
 */
function HistoryEntry(entry, nameOf, format) {
  const [field, key] = String(entry.field).split(/\.(.*)/s);
  const show = (value) => {
    if (value == null || value === '') return '—';
    if (format[field]) return format[field](value);
    if (key !== undefined && field === 'results') return tOr(`result.${value}`, String(value));
    return formatFieldValue(field, value, nameOf);
  };
  const change = `${fieldLabel(field)}${key ? ` ${key}` : ''}: ${show(entry.old)} → ${show(entry.new)}`;
  const who = entry.user_name ?? nameOf(entry.user_id ?? entry.user);
  const hlcMs = Number(String(entry.hlc ?? '').slice(0, 15)); // the HLC starts with the writer's clock
  const when = entry.at ?? entry.created_at ?? (hlcMs > 0 ? new Date(hlcMs).toISOString() : null);
  return h('li', { class: entry.lost ? 'history-lost' : null },
    h('span', { class: 'history-change' }, change),
    h('span', { class: 'muted' }, [who, when ? formatDateTime(when) : null, entry.lost ? t('history.lost') : null]
      .filter(Boolean).join(' · ')));
}

/** "Last changed <when> by <who>", leaving out who when the id is unknown here. */
export function lastChange(view, nameOf) {
  const when = formatDateTime(view.updatedAt);
  const who = nameOf(view.updatedBy);
  return who ? tNodes('record.updated', { when, who: userText(who) }) : t('record.updatedAt', { when });
}
