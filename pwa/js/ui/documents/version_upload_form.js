/**
 * Uploading a new version of a document (supervisor, admin): its file (PDF or image), revision,
 * date and change note, kept as a draft while typed. The file waits on the phone like a photo
 * and the sync loop uploads it; the form shows that upload's progress until the server has it.
 */
import { readPendingBlob, savePendingBlob, sha256Hex } from '../../db/pending_blobs.js';
import { randomUuid } from '../../db/random_uuid.js';
import { enqueue } from '../../sync/outbox.js';
import { STATUS_EVENT } from '../../sync/sync_engine.js';
import { FormDraft } from '../components/form_draft.js';
import { InputField, TextareaField, setFieldError } from '../components/form_field.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { localToday } from '../home/home_sections.js';

const ACCEPTED = 'application/pdf,image/jpeg,image/png,image/webp';

/** The label after `revision`: B after A, 3 after 2, else empty for the user to type. */
export function nextRevision(revision) {
  if (/^[A-Y]$/.test(revision ?? '')) return String.fromCharCode(revision.charCodeAt(0) + 1);
  if (/^\d+$/.test(revision ?? '')) return String(Number(revision) + 1);
  return revision ? '' : 'A';
}

export class VersionUploadForm {
  constructor(screen, document, current) {
    this.screen = screen;
    this.document = document;
    this.uploading = null; // the sha256 of a file given to the sync loop, until it is uploaded
    this.progress = h('p', { class: 'hint', testid: 'version-upload-progress', role: 'status', hidden: true });
    this.bar = h('progress', { class: 'upload-bar', max: 1, value: 0, hidden: true });
    const form = h('form', { class: 'stack', testid: 'version-form', novalidate: true, onsubmit: (event) => this.submit(event) },
      InputField({ id: 'version-file', name: 'file', type: 'file', label: t('documents.file'), accept: ACCEPTED, hint: t('documents.fileHint') }),
      InputField({ id: 'version-revision', name: 'revision', label: t('field.revision'), maxlength: 32, value: nextRevision(current?.fields.revision), autocomplete: 'off' }),
      InputField({ id: 'version-date', name: 'date', type: 'date', label: t('field.date'), value: localToday() }),
      TextareaField({ id: 'version-note', name: 'note', label: t('documents.changeNote'), maxlength: 4000 }),
      // A change order's every version is approved by the server's rule: nothing to tick.
      document.fields.kind === 'change_order'
        ? h('p', { class: 'hint', testid: 'version-goes-for-approval' }, t('documents.changeOrderApproval'))
        : h('label', { class: 'check-row' }, h('input', { type: 'checkbox', name: 'needs_signoff', testid: 'version-signoff' }), ` ${t('documents.needsSignoff')}`),
      h('button', { type: 'submit', class: 'button button-primary button-block', testid: 'version-save' }, t('documents.upload')));
    this.form = form;
    this.element = h('details', { class: 'card', testid: 'version-upload' },
      h('summary', {}, h('strong', {}, t('documents.newVersion'))), form, this.bar, this.progress);
    const onStatus = (event) => this.showProgress(event.detail);
    screen.app.engine?.addEventListener(STATUS_EVENT, onStatus);
    screen.onDestroy(() => screen.app.engine?.removeEventListener(STATUS_EVENT, onStatus));
  }

  /** Keeps the typing as a draft (a restored one opens the form). */
  async attach() {
    this.screen.draft = new FormDraft(this.screen, { heading: 'documents.newVersion' });
    if (await this.screen.draft.attach(this.form)) this.element.open = true;
  }

  async submit(event) {
    event.preventDefault();
    const data = new FormData(this.form);
    const file = data.get('file');
    const revision = String(data.get('revision') ?? '').trim();
    setFieldError(this.form, 'version-file', file?.size ? null : t('documents.fileMissing'));
    setFieldError(this.form, 'version-revision', revision ? null : t('documents.revisionMissing'));
    if (!file?.size || !revision) return;
    const bytes = await file.arrayBuffer();
    const sha = await sha256Hex(bytes);
    await savePendingBlob(sha, bytes, file.type || 'application/pdf');
    await enqueue([{ op: 'put', type: 'document_version', id: randomUuid(), fields: {
      project_id: this.document.fields.project_id, document_id: this.document.id, file: sha, revision,
      date: String(data.get('date') || '') || null, note: String(data.get('note') ?? '').trim() || null,
      needs_signoff: data.get('needs_signoff') === 'on' } }]);
    await this.screen.draft?.saved();
    this.uploading = sha;
    this.form.reset();
    this.element.open = false;
    this.showProgress(this.screen.app.engine?.status ?? {});
    this.screen.app.engine?.syncNow();
  }

  /** The sync loop's upload progress, while the file given here still waits on the phone. */
  async showProgress(status) {
    if (!this.uploading) return;
    const waiting = await readPendingBlob(this.uploading);
    if (!waiting) {
      this.uploading = null;
      this.bar.hidden = true;
      this.progress.textContent = t('documents.uploaded');
      return;
    }
    this.progress.hidden = false;
    if (waiting.error) {
      this.progress.textContent = t('documents.uploadRefused');
      this.bar.hidden = true;
    } else if (status.phase === 'uploading' && status.totalBytes) {
      this.bar.hidden = false;
      this.bar.value = status.sentBytes / status.totalBytes;
      this.progress.textContent = t('documents.uploading', { percent: Math.round((100 * status.sentBytes) / status.totalBytes) });
    } else {
      this.progress.textContent = t(navigator.onLine ? 'documents.uploadQueued' : 'documents.uploadOffline');
    }
  }
}
