/**
 * Documents (/documents): drawings, change orders, minutes and the rest, each with its current
 * revision; browsed by kind, section and discipline, searched by number and title. Documents
 * kept offline say so. The library is a register, in its documents' order keys (db/order_keys.js:
 * by number in natural order, then title), sorted once per change of its records and drawn a page
 * of rows at a time, so a project with thousands of drawings opens as fast as one with ten; a
 * first visit with nothing kept reads its first page through the `by_order` index.
 */
import { earlyViews, keepFirstRows } from '../components/early_rows.js';
import { FilterChips } from '../components/filter_chips.js';
import { loadNameDirectory } from '../components/name_directory.js';
import { PAGE_ROWS, PagedList } from '../components/paged_list.js';
import { SelectField } from '../components/form_field.js';
import { h, summaryParts, userText } from '../dom.js';
import { t } from '../i18n.js';
import { Screen } from '../screen.js';
import { firstPageRanges, orderKeyOf } from '../../db/order_keys.js';
import { derivedFrom, loadFirstViewsThrough, loadViewList, sortedByKey } from '../../sync/local_view.js';
import { DOCUMENT_KINDS, currentVersions } from './document_data.js';
import { KEPT_TOPIC, keptDocuments } from './offline_copies.js';

/**
 * A project's documents in the list's order: by order key, the same documents by id, as the
 * `by_order` index holds them (a new array).
 */
export function documentsInOrder(documents, projectId) {
  return sortedByKey(documents.filter((doc) => !projectId || doc.fields.project_id === projectId),
    (doc) => `${orderKeyOf('document', doc.fields)}\u0000${doc.id}`);
}

/**
 * The first page of a project's documents without reading the rest: the first records of the
 * project in the `by_order` index (database.js), with every document that has changes queued on
 * the phone, put in the list's order. Null without a project (the list then shows every project's).
 */
export async function firstDocuments(projectId) {
  if (!projectId) return null;
  const views = await loadFirstViewsThrough('document', 'by_order', firstPageRanges('document', projectId), PAGE_ROWS);
  return documentsInOrder(views, projectId).slice(0, PAGE_ROWS);
}

/** A project's documents in the list's order, and the kinds, sections and disciplines among them. */
function libraryOf(documents, projectId) {
  return derivedFrom(documents, `library ${projectId}`, () => {
    const sorted = documentsInOrder(documents, projectId);
    return {
      documents: sorted,
      kinds: DOCUMENT_KINDS.filter((name) => sorted.some((doc) => doc.fields.kind === name)),
      sections: [...new Set(sorted.flatMap((doc) => doc.fields.section_ids ?? []))],
      disciplines: [...new Set(sorted.map((doc) => doc.fields.discipline).filter(Boolean))].sort(),
    };
  });
}

export class DocumentListScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.filter = { kind: this.query.get('kind') ?? 'all', section: '', discipline: '', text: '' };
    this.refreshOn('records');
    this.refreshOn(KEPT_TOPIC);
    this.rows = new PagedList({
      drawRow: (doc) => this.item(doc, this.current.get(doc.id), this.kept[doc.id]),
      empty: () => h('li', { class: 'empty', testid: 'documents-empty' },
        t(this.library.documents.length ? 'documents.noMatch' : 'documents.empty')),
      attributes: { class: 'card-list', testid: 'document-list' },
    });
    this.onDestroy(() => this.rows.destroy());
  }

  /**
   * On a fresh start, the documents this list showed first last time are drawn at once (as
   * loading, counting nothing); then the whole library, whose first rows are kept for next time.
   */
  async render() {
    const projectId = this.app.session.memberships[0]?.project_id;
    if (!this.drawnWhole) {
      const [early, nameOf, kept] = await Promise.all([
        earlyViews('document', this.address(), () => firstDocuments(projectId)), loadNameDirectory(this.app, { wait: false }), keptDocuments()]);
      if (early && !this.drawnWhole) {
        const versions = await loadViewList('document_version');
        if (!this.drawnWhole) this.draw(libraryOf(early, projectId), versions, nameOf, kept, { partial: true });
      }
    }
    const [documents, versions, nameOf, kept] = await Promise.all([
      loadViewList('document'), loadViewList('document_version'), loadNameDirectory(this.app), keptDocuments()]);
    this.draw(libraryOf(documents, projectId), versions, nameOf, kept, { partial: false });
    this.drawnWhole = true;
  }

  /** The address of the list as it opens (every kind): the key of the rows it shows first. */
  address() {
    return '/documents';
  }

  /** Draws the library filtered; `partial`: only the early rows, while the whole library loads. */
  draw(library, versions, nameOf, kept, { partial }) {
    this.library = library;
    this.current = currentVersions(versions);
    this.kept = kept;
    const { kind, section, discipline, text } = this.filter;
    const needle = text.trim().toLowerCase();
    const shown = library.documents
      .filter((doc) => kind === 'all' || doc.fields.kind === kind)
      .filter((doc) => !section || (doc.fields.section_ids ?? []).includes(section))
      .filter((doc) => !discipline || doc.fields.discipline === discipline)
      .filter((doc) => !needle || [doc.fields.number, doc.fields.title].some((value) => String(value ?? '').toLowerCase().includes(needle)));
    const filterKey = JSON.stringify(this.filter);
    this.rows.show(shown, { fromTop: this.shownFilter !== filterKey, partial });
    this.shownFilter = filterKey;
    const unfiltered = kind === 'all' && !section && !discipline && !needle;
    if (!partial && unfiltered) keepFirstRows(this.address(), shown);
    const { sections, disciplines, kinds } = library;
    const hadFocus = this.searchBox && document.activeElement === this.searchBox;
    this.searchBox ??= h('input', {
      type: 'search', id: 'document-search', class: 'input', testid: 'document-search', value: text,
      placeholder: t('documents.searchHint'), 'aria-label': t('documents.search'),
      oninput: (event) => { this.filter.text = event.target.value; this.scheduleRender(); },
    });
    this.show(
      h('header', { class: 'screen-header' },
        h('h1', { tabindex: '-1' }, t('documents.title')),
        partial
          ? h('p', { class: 'muted', testid: 'document-count' }, t('list.loading'))
          : h('p', { class: 'muted', testid: 'document-count', dataset: { count: String(shown.length) } }, t('documents.count', { count: shown.length }))),
      this.searchBox,
      FilterChips({
        label: t('field.kind'), testid: 'document-kind', value: kind, scroll: true,
        options: [['all', t('documents.allKinds')], ...kinds.map((name) => [name, t(`kind.${name}`)])],
        onPick: (value) => { this.filter.kind = value; this.render(); },
      }),
      sections.length || disciplines.length ? h('div', { class: 'document-filters' },
        sections.length ? SelectField({
          id: 'document-section', label: t('field.section_id'), value: section,
          options: [['', t('documents.allSections')], ...sections.map((id) => [id, nameOf(id) ?? id.slice(0, 8)])],
          onchange: (event) => { this.filter.section = event.target.value; this.render(); },
        }) : null,
        disciplines.length ? SelectField({
          id: 'document-discipline', label: t('field.discipline'), value: discipline,
          options: [['', t('documents.allDisciplines')], ...disciplines.map((name) => [name, name])],
          onchange: (event) => { this.filter.discipline = event.target.value; this.render(); },
        }) : null) : null,
      this.rows.element);
    if (hadFocus) this.searchBox.focus();
  }

  item(doc, current, kept) {
    return h('li', {},
      h('a', { class: 'record-item', href: `/r/document/${doc.id}`, testid: 'document-item', dataset: { id: doc.id } },
        h('span', { class: 'record-title' },
          doc.fields.number ? h('strong', { class: 'document-number' }, userText(doc.fields.number), ' ') : null, userText(doc.fields.title)),
        h('span', { class: 'record-summary' }, summaryParts([t(`kind.${doc.fields.kind}`), userText(doc.fields.discipline),
          current ? t('documents.revision', { revision: current.fields.revision }) : t('documents.noVersion')].filter(Boolean))),
        h('span', { class: 'record-tags' },
          kept ? h('span', { class: 'chip chip-kept', testid: 'document-kept' }, t(kept.versionId === current?.id ? 'documents.kept' : 'documents.keptOld')) : null,
          doc.pending ? h('span', { class: 'chip chip-pending' }, t('record.notSynced')) : null)));
  }
}
