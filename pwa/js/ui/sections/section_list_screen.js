/** Grid sections: who answers for each, how far its work is, and what is still open there. */
import { may } from '../../sync/permissions.js';
import { h, userText } from '../dom.js';
import { t, tNodes } from '../i18n.js';
import { localToday } from '../home/home_sections.js';
import { loadNameDirectory } from '../components/name_directory.js';
import { Screen } from '../screen.js';
import { SectionStatsLine } from './section_stats_line.js';
import { loadSite, sectionStats } from './site_facts.js';

export class SectionListScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.refreshOn('records');
  }

  async render() {
    const [site, nameOf] = await Promise.all([loadSite(), loadNameDirectory(this.app)]);
    const me = this.app.session.user?.id;
    const today = localToday();
    // The user's own sections first, then the site plan's order.
    const sections = [...site.sections].sort((a, b) => Number(b.fields.owner_id === me) - Number(a.fields.owner_id === me));
    const canCreate = may(this.app.session.roles, 'section', 'create');
    this.show(
      h('header', { class: 'screen-header' },
        h('h1', { tabindex: '-1' }, t('sections.title')),
        h('p', { class: 'muted' }, t('sections.count', { count: sections.length }))),
      canCreate ? h('a', { class: 'button button-primary button-block', href: '/sections/new', testid: 'new-section' }, t('sections.new')) : null,
      h('ul', { class: 'card-list', testid: 'section-list' }, sections.length
        ? sections.map((section) => {
          const stats = sectionStats(section.id, site, today);
          const owner = section.fields.owner_id ? nameOf(section.fields.owner_id) ?? t('sections.unknownPerson') : t('sections.noOwner');
          return h('li', {},
            h('a', { class: 'section-card', href: `/r/section/${section.id}`, testid: 'section-item', dataset: { id: section.id, code: section.fields.code ?? '' } },
              h('span', { class: 'section-head' },
                h('span', { class: 'section-code' }, userText(section.fields.code)),
                h('span', { class: 'section-name' }, userText(section.fields.name)),
                section.fields.owner_id === me ? h('span', { class: 'chip chip-mine' }, t('sections.mine')) : null,
                section.pending ? h('span', { class: 'chip chip-pending', testid: 'record-pending' }, t('record.notSynced')) : null),
              h('span', { class: 'section-owner', testid: 'section-owner' }, tNodes('sections.responsible', { name: userText(owner) })),
              SectionStatsLine(stats)));
        })
        : h('li', { class: 'empty' }, t('sections.empty'))));
  }
}
