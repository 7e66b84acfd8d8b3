/** "Unfinished drafts" on the home screen: every form this user left half-typed, one tap back to it. */
import { readDrafts } from '../../db/drafts.js';
import { h, summaryParts } from '../dom.js';
import { formatRelative, t } from '../i18n.js';

/** The list, or null when nothing is left unfinished (the section then takes no room). */
export async function DraftList(session) {
  const drafts = session.user ? await readDrafts(session.user.id) : [];
  if (drafts.length === 0) return null;
  return h('section', { class: 'home-section', testid: 'home-drafts', 'aria-labelledby': 'heading-drafts' },
    h('h2', { id: 'heading-drafts' }, t('draft.listTitle'), h('span', { class: 'count' }, ` (${drafts.length})`)),
    h('ul', { class: 'record-list' }, drafts.map((draft) => h('li', {},
      h('a', { class: 'record-item draft-item', href: draft.route, testid: 'home-draft', dataset: { route: draft.route } },
        h('span', { class: 'record-title' }, t(draft.heading)),
        h('span', { class: 'record-summary' },
          summaryParts([draft.summary, t('draft.keptAt', { when: formatRelative(draft.updated_at) })].filter(Boolean))))))));
}
