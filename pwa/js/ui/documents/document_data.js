/**
 * Documents as the screens read them: each with its versions newest first. The current version
 * is the newest by the server's order (seq), whatever its revision label or its author's clock;
 * a version made on this phone and not yet synced counts as newest here until the server orders it.
 */
import { derivedFrom, loadView, loadViews } from '../../sync/local_view.js';
import { t } from '../i18n.js';

export const DOCUMENT_KINDS = ['drawing', 'change_order', 'minutes', 'specification', 'permit', 'other'];
/** Pages are rendered and kept at one width: sharp when zoomed on a phone, one copy per page. */
export const PAGE_WIDTH = 1600;

/** Newest first: not yet synced, then by seq descending. */
export function newestFirst(a, b) {
  return (b.serverSeq ?? Infinity) - (a.serverSeq ?? Infinity);
}

/** The document's versions, newest (current) first. */
export function versionsOf(versions, documentId) {
  return versions.filter((version) => version.fields.document_id === documentId).sort(newestFirst);
}

/** The current version of a document, or undefined when it has none. */
export function currentOf(versions, documentId) {
  return versionsOf(versions, documentId)[0];
}

/**
 * The current version of each document, by document id, worked out once per list of versions
 * (a list of documents looks up each one's current version without going through every version).
 */
export function currentVersions(versions) {
  return derivedFrom(versions, 'current by document', () => {
    const current = new Map();
    for (const version of versions) {
      const held = current.get(version.fields.document_id);
      if (!held || newestFirst(version, held) < 0) current.set(version.fields.document_id, version);
    }
    return current;
  });
}

/** `{documents, versions, pins}` of a project (every project when none is given). */
export async function loadLibrary(projectId) {
  const inProject = (view) => !projectId || view.fields.project_id === projectId;
  const [documents, versions, pins] = await Promise.all(['document', 'document_version', 'pin'].map(loadViews));
  return { documents: documents.filter(inProject), versions: versions.filter(inProject), pins: pins.filter(inProject) };
}

/** The label of a document: its number and title. */
export function documentLabel(document) {
  return [document?.fields.number, document?.fields.title].filter(Boolean).join(' ');
}

/** A version as named away from its document's page: "变更-001 W14 检查井位置东移 · A 版". */
export function versionLabel(document, version) {
  return [documentLabel(document), t('documents.revision', { revision: version.fields.revision ?? '?' })]
    .filter(Boolean).join(' · ');
}

/** A version's label, its document read from the phone. */
export async function loadVersionLabel(version) {
  return versionLabel(await loadView('document', version.fields.document_id), version);
}

/** URLs of a file's rendered pages (`count` of them) and of its page count. */
export const pagesUrl = (sha) => `/api/blobs/${sha}/pages`;
export const pageUrl = (sha, number) => `/api/blobs/${sha}/pages/${number}?width=${PAGE_WIDTH}`;
/** An image file is shown as it is, at the display size the server serves photos. */
export const imageUrl = (sha) => `/api/blobs/${sha}?variant=display`;

/**
 * How a file is shown: `{pages: n}` for a PDF, `{image: true}` for an image, or `{missing}` when
 * neither the network nor the kept copy has it ('offline', or 'elsewhere': not uploaded yet).
 */
export async function fileLayout(api, sha) {
  try {
    const response = await api.fetchRaw('GET', pagesUrl(sha), { accept: [415] });
    if (response.status === 415) return { image: true };
    return { pages: (await response.json()).pages };
  } catch (error) {
    return { missing: error.status === 404 ? 'elsewhere' : 'offline' };
  }
}

/** The colour group of a pinned record's state: open, working, done or closed. */
export function stateGroup(status) {
  if (['doing', 'rectifying', 'acknowledged', 'in_progress'].includes(status)) return 'working';
  if (['done', 'resolved', 'verified'].includes(status)) return 'done';
  if (['accepted', 'closed'].includes(status)) return 'closed';
  return 'open';
}
