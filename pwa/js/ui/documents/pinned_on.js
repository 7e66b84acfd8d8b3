/** "On drawing 道施-03": links from a pinned record to the current version of each drawing
 * it is pinned on. */
import { loadViews } from '../../sync/local_view.js';
import { h, userText } from '../dom.js';
import { tNodes } from '../i18n.js';
import { currentOf, documentLabel } from './document_data.js';

/** The links for the record `subjectId`, or null when it is pinned nowhere. */
export async function PinnedOn(subjectId) {
  const pins = (await loadViews('pin')).filter((pin) => pin.fields.subject_id === subjectId);
  if (!pins.length) return null;
  const [documents, versions] = await Promise.all([loadViews('document'), loadViews('document_version')]);
  const links = pins.map((pin) => {
    const doc = documents.find((view) => view.id === pin.fields.document_id);
    const current = currentOf(versions, pin.fields.document_id);
    if (!doc || !current) return null;
    return h('a', { class: 'button button-block', href: `/r/document_version/${current.id}`, testid: 'pinned-on' },
      tNodes('documents.pinnedOn', { document: userText(documentLabel(doc)) }));
  }).filter(Boolean);
  return links.length ? h('div', { class: 'stack' }, links) : null;
}
