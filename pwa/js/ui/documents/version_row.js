/** One version of a document in its history: revision, date, who uploaded it, the change, and
 * whether it is current or superseded (旧版), with any approval decision on it. */
import { h, userText } from '../dom.js';
import { formatDate, formatDateTime, t, tNodes, tOr } from '../i18n.js';

/**
 * The decision on each approval about `subjectId` (a version's change order or sign-off): pending,
 * approved by whom and when, or rejected by whom with the reason. A decision made on this phone
 * and not yet synced is "you"'s.
 */
export function ApprovalLines(approvals, subjectId, nameOf) {
  return approvals.filter((approval) => approval.fields.subject_id === subjectId).map((approval) => {
    const status = approval.fields.status ?? 'pending';
    const kind = tOr(`kind.${approval.fields.kind}`, String(approval.fields.kind ?? ''));
    const deciderName = approval.pending ? null : approval.updatedBy && nameOf(approval.updatedBy);
    const name = deciderName ? userText(deciderName) : approval.pending ? t('documents.you') : t('sections.unknownPerson');
    const time = approval.updatedAt ? formatDateTime(approval.updatedAt) : '';
    const decided = status === 'approved' || status === 'rejected';
    const reason = status === 'rejected' && approval.fields.decision_comment;
    return h('div', { class: `approval-line approval-${status}`, testid: 'version-approval', dataset: { status, kind: approval.fields.kind ?? '' } },
      h('span', { class: `chip chip-${status}` }, decided
        ? tNodes(`documents.decision.${status}`, { kind, name, time })
        : t(`documents.decision.${status}`, { kind })),
      reason ? h('p', { class: 'approval-reason', testid: 'version-approval-reason' },
        tNodes('documents.decision.reason', { reason: userText(reason) })) : null);
  });
}

export function VersionRow(version, { current, nameOf, approvals }) {
  // A name people gave is theirs (marked); "you" and "someone" are the interface's own words.
  const name = version.createdBy ? nameOf(version.createdBy) : null;
  const who = name ? userText(name) : version.createdBy ? t('sections.unknownPerson') : t('documents.you');
  return h('li', { class: `card version-row ${current ? 'version-current' : 'version-old'}`, testid: 'version-row', dataset: { id: version.id, revision: version.fields.revision ?? '' } },
    h('a', { class: 'version-link', href: `/r/document_version/${version.id}` },
      h('strong', {}, t('documents.revision', { revision: version.fields.revision ?? '?' })),
      current
        ? h('span', { class: 'chip chip-current', testid: 'version-current' }, t('documents.current'))
        : h('span', { class: 'chip chip-superseded', testid: 'version-superseded' }, t('documents.superseded'))),
    h('p', { class: 'muted version-meta' },
      // A version is never edited: its last change is its upload.
      [version.fields.date ? t('documents.dated', { date: formatDate(version.fields.date) }) : null,
        version.updatedAt ? tNodes('documents.uploadedAt', { name: who, time: formatDateTime(version.updatedAt) })
          : tNodes('documents.uploadedBy', { name: who })].filter(Boolean).flatMap((part, index) => [index ? ' · ' : null, part]).filter((part) => part != null)),
    version.fields.note ? h('p', { class: 'version-note' }, userText(version.fields.note)) : null,
    version.fields.needs_signoff ? h('p', { class: 'hint' }, t('documents.needsSignoff')) : null,
    ApprovalLines(approvals, version.id, nameOf),
    version.pending ? h('span', { class: 'chip chip-pending' }, t('record.notSynced')) : null);
}
