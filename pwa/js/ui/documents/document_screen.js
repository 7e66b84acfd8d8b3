/**
 * One document (/r/document/:id): what it is, its current version (opened as a drawing), keeping
 * it offline, uploading a new version, and every version with who and when, older ones marked
 * superseded. Minutes link the briefing they record.
 */
import { loadView, loadViews } from '../../sync/local_view.js';
import { may, rolesIn } from '../../sync/permissions.js';
import { loadNameDirectory } from '../components/name_directory.js';
import { typeLabel } from '../components/record_text.js';
import { h, userList } from '../dom.js';
import { formatDate, t } from '../i18n.js';
import { Screen } from '../screen.js';
import { documentLabel, versionsOf } from './document_data.js';
import { KeepOfflinePanel } from './keep_offline_panel.js';
import { KEPT_TOPIC } from './offline_copies.js';
import { ApprovalLines, VersionRow } from './version_row.js';
import { VersionUploadForm } from './version_upload_form.js';

export class DocumentScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.offline = new KeepOfflinePanel(this);
    this.upload = null; // the new-version form, kept across redraws with what is typed in it
    this.refreshOn('records');
    this.refreshOn(KEPT_TOPIC);
  }

  async render() {
    const { id } = this.params;
    const [doc, allVersions, approvals, nameOf] = await Promise.all([
      loadView('document', id), loadViews('document_version'), loadViews('approval'), loadNameDirectory(this.app)]);
    if (!doc) {
      this.show(h('h1', { tabindex: '-1' }, typeLabel('document')), h('p', { class: 'empty', testid: 'record-missing' }, t('record.missing')));
      return;
    }
    const versions = versionsOf(allVersions, id);
    this.versions = versions;
    const [current] = versions;
    const roles = rolesIn(this.app.session, doc.fields.project_id);
    const mayUpload = may(roles, 'document_version', 'create');
    const briefing = doc.fields.briefing_id ? await loadView('briefing', doc.fields.briefing_id) : null;
    if (mayUpload && !this.upload) {
      this.upload = new VersionUploadForm(this, doc, current);
      await this.upload.attach();
    }
    await this.offline.update(doc, current);
    this.show(
      h('header', { class: 'screen-header', testid: 'document-page', dataset: { id } },
        h('p', { class: 'eyebrow' }, t(`kind.${doc.fields.kind}`)),
        h('h1', { tabindex: '-1' }, documentLabel(doc)),
        h('p', { class: 'muted' }, userList([doc.fields.discipline, ...(doc.fields.section_ids ?? []).map((sid) => nameOf(sid))]))),
      briefing ? h('p', { testid: 'minutes-briefing' },
        h('a', { href: `/r/briefing/${briefing.id}` }, t('documents.briefingOf', { date: formatDate(briefing.fields.date) }))) : null,
      current ? h('a', { class: 'button button-primary button-block', href: `/r/document_version/${current.id}`, testid: 'document-open' },
        t('documents.open', { revision: current.fields.revision ?? '?' })) : h('p', { class: 'empty', testid: 'document-no-version' }, t('documents.noVersion')),
      current ? this.offline.element : null,
      this.upload?.element,
      h('h2', {}, t('documents.history', { count: versions.length })),
      h('ul', { class: 'card-list stack', testid: 'version-list' },
        versions.map((version) => VersionRow(version, { current: version === current, nameOf, approvals }))),
      // Approvals asked about the document as a whole (before versions opened their own).
      ApprovalLines(approvals, id, nameOf));
  }
}
