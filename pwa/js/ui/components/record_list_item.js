/** One record in a list: title, status, key dates, and a mark when it has unsynced changes. */
import { taskProgress } from '../../sync/progress.js';
import { DueChip } from './countdown.js';
import { h, summaryParts } from '../dom.js';
import { t } from '../i18n.js';
import { fieldLabel, formatFieldValue, recordTitle, stateLabel } from './record_text.js';

/** Fields worth a line under the title, per type. */
const SUMMARY_FIELDS = {
  task: ['due_date', 'assignee_id', 'progress'],
  feedback: ['category', 'section_id'],
  safety_check: ['section_id'],
  action: ['deadline', 'owner_id'],
  briefing: ['weather'],
  approval: ['subject_type'],
  section: ['owner_id'],
};

/** `title` replaces the record's own title; `tags` are added after its status. */
export function RecordListItem(view, nameOf, { title, tags = [] } = {}) {
  const status = view.fields.status;
  const summary = (SUMMARY_FIELDS[view.type] ?? [])
    .filter((name) => view.fields[name] != null && view.fields[name] !== '')
    .map((name) => `${fieldLabel(name)}: ${name === 'progress' && view.type === 'task'
      ? `${taskProgress(view.fields)}%` : formatFieldValue(name, view.fields[name], nameOf)}`);
  return h('li', {},
    h('a', { class: 'record-item', href: `/r/${view.type}/${view.id}`, testid: 'record-item', dataset: { id: view.id, type: view.type } },
      h('span', { class: 'record-title' }, title ?? recordTitle(view)),
      summary.length ? h('span', { class: 'record-summary' }, summaryParts(summary)) : null,
      h('span', { class: 'record-tags' },
        status ? h('span', { class: `chip chip-${status}` }, stateLabel(status)) : null,
        view.type === 'feedback' ? DueChip(view.fields.response_due, { done: ['resolved', 'closed'].includes(status) }) : null,
        tags,
        view.pending ? h('span', { class: 'chip chip-pending', testid: 'record-pending' }, t('record.notSynced')) : null)));
}
