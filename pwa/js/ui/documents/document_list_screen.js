/**
 * Documents (/documents): drawings, change orders, minutes and the rest, each with its current
 * revision; browsed by kind, section and discipline, searched by number and title. Documents
 * kept offline say so.
 */
import { FilterChips } from '../components/filter_chips.js';
import { loadNameDirectory } from '../components/name_directory.js';
import { SelectField } from '../components/form_field.js';
import { h, summaryParts, userText } from '../dom.js';
import { t } from '../i18n.js';
import { Screen } from '../screen.js';
import { DOCUMENT_KINDS, currentOf, loadLibrary } from './document_data.js';
import { KEPT_TOPIC, keptDocuments } from './offline_copies.js';

export class DocumentListScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.filter = { kind: this.query.get('kind') ?? 'all', section: '', discipline: '', text: '' };
    this.refreshOn('records');
    this.refreshOn(KEPT_TOPIC);
  }

  async render() {
    const projectId = this.app.session.memberships[0]?.project_id;
    const [library, nameOf, kept] = await Promise.all([loadLibrary(projectId), loadNameDirectory(this.app), keptDocuments()]);
    const { kind, section, discipline, text } = this.filter;
    const needle = text.trim().toLowerCase();
    const shown = library.documents
      .filter((doc) => kind === 'all' || doc.fields.kind === kind)
      .filter((doc) => !section || (doc.fields.section_ids ?? []).includes(section))
      .filter((doc) => !discipline || doc.fields.discipline === discipline)
      .filter((doc) => !needle || [doc.fields.number, doc.fields.title].some((value) => String(value ?? '').toLowerCase().includes(needle)))
      .sort((a, b) => String(a.fields.number ?? '').localeCompare(String(b.fields.number ?? ''), 'zh-CN')
        || String(a.fields.title ?? '').localeCompare(String(b.fields.title ?? ''), 'zh-CN'));
    const sections = [...new Set(library.documents.flatMap((doc) => doc.fields.section_ids ?? []))];
    const disciplines = [...new Set(library.documents.map((doc) => doc.fields.discipline).filter(Boolean))].sort();
    const kinds = DOCUMENT_KINDS.filter((name) => library.documents.some((doc) => doc.fields.kind === name));
    const hadFocus = this.searchBox && document.activeElement === this.searchBox;
    this.searchBox ??= h('input', {
      type: 'search', id: 'document-search', class: 'input', testid: 'document-search', value: text,
      placeholder: t('documents.searchHint'), 'aria-label': t('documents.search'),
      oninput: (event) => { this.filter.text = event.target.value; this.scheduleRender(); },
    });
    this.show(
      h('header', { class: 'screen-header' },
        h('h1', { tabindex: '-1' }, t('documents.title')),
        h('p', { class: 'muted', testid: 'document-count' }, t('documents.count', { count: shown.length }))),
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
      shown.length === 0 ? h('p', { class: 'empty', testid: 'documents-empty' }, t(library.documents.length ? 'documents.noMatch' : 'documents.empty')) : null,
      h('ul', { class: 'card-list', testid: 'document-list' }, shown.map((doc) => this.item(doc, currentOf(library.versions, doc.id), kept[doc.id]))));
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
