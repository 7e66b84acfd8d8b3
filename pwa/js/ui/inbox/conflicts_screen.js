/** "Conflicts": values of mine that lost to a newer one, side by side with the value kept. */
import { CONFLICTS, readInbox } from '../../db/inbox.js';
import { dismissEntry } from '../../sync/inbox_sync.js';
import { loadView } from '../../sync/local_view.js';
import { enqueue } from '../../sync/outbox.js';
import { fieldKind } from '../../sync/record_types.js';
import { h, userText } from '../dom.js';
import { formatDateTime, t, tNodes } from '../i18n.js';
import { loadNameDirectory } from '../components/name_directory.js';
import { fieldLabel, formatFieldValue, recordTitle, typeLabel } from '../components/record_text.js';
import { Screen } from '../screen.js';

export class ConflictsScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.refreshOn('inbox');
  }

  async render() {
    const [entries, nameOf] = await Promise.all([readInbox(CONFLICTS), loadNameDirectory(this.app)]);
    const views = await Promise.all(entries.map((entry) => loadView(entry.type, entry.record_id)));
    this.show(
      h('header', { class: 'screen-header' },
        h('h1', { tabindex: '-1' }, t('conflicts.title')),
        h('p', { class: 'muted' }, t('conflicts.intro'))),
      entries.length === 0
        ? h('p', { class: 'empty', testid: 'conflicts-empty' }, t('conflicts.empty'))
        : h('ul', { class: 'card-list', testid: 'conflicts-list' }, entries.map((entry, i) => this.card(entry, views[i], nameOf))));
  }

  card(entry, view, nameOf) {
    const title = recordTitle(view ?? { type: entry.type, id: entry.record_id, fields: {} });
    const keptBy = entry.by_name ?? nameOf(entry.by) ?? t('conflicts.someoneElse');
    return h('li', { class: 'card', testid: 'conflict-item', dataset: { key: entry.key, field: entry.field } },
      h('h2', {}, h('a', { href: `/r/${entry.type}/${entry.record_id}` }, `${typeLabel(entry.type)} · ${title}`)),
      h('p', { class: 'conflict-field' }, fieldLabel(entry.field)),
      h('div', { class: 'side-by-side' },
        h('div', { class: 'side side-mine' },
          h('h3', {}, t('conflicts.mine')),
          h('p', { testid: 'conflict-yours' }, formatFieldValue(entry.field, entry.yours, nameOf))),
        h('div', { class: 'side side-kept' },
          h('h3', {}, tNodes('conflicts.kept', { name: userText(keptBy) })),
          h('p', { testid: 'conflict-kept' }, formatFieldValue(entry.field, entry.kept, nameOf)))),
      entry.created_at ? h('p', { class: 'muted' }, formatDateTime(entry.created_at)) : null,
      h('div', { class: 'card-actions' },
        h('button', { type: 'button', class: 'button button-primary', testid: 'keep-mine', onclick: () => this.keepMine(entry) }, t('conflicts.keepMine')),
        h('button', { type: 'button', class: 'button', testid: 'keep-theirs', onclick: () => this.keepTheirs(entry) }, t('conflicts.keepTheirs'))));
  }

  /** Writes my value again as a new change (it now carries the newest clock), then dismisses the conflict. */
  async keepMine(entry) {
    await enqueue([{ op: 'put', type: entry.type, id: entry.record_id, fields: fieldsFor(entry) }]);
    await dismissEntry(this.app.api, CONFLICTS, entry);
    this.app.notify(t('conflicts.keptMine'));
  }

  async keepTheirs(entry) {
    await dismissEntry(this.app.api, CONFLICTS, entry);
    this.app.notify(t('conflicts.keptTheirs'));
  }
}

/** The put fields restoring my value; a map key conflict (`results.A1` or `results`) restores that key. */
function fieldsFor({ type, field, yours }) {
  const [base, key] = field.split('.', 2);
  if (key && fieldKind(type, base) === 'map') return { [base]: { [key]: yours } };
  return { [field]: yours };
}
