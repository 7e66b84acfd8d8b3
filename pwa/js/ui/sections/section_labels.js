/** "Print labels": the section's A4 sheet of QR labels (its own and one per work step) as a PDF. */
import { h } from '../dom.js';
import { t } from '../i18n.js';

/** A button that fetches the sheet (it needs the token, hence fetch and a blob URL) and opens it. */
export function SectionLabels(app, section) {
  const status = h('p', { class: 'hint', role: 'status', testid: 'section-labels-status' });
  const open = async () => {
    if (!navigator.onLine) {
      status.textContent = t('labels.offline');
      return;
    }
    status.textContent = t('labels.loading');
    try {
      const path = `/api/projects/${encodeURIComponent(section.fields.project_id)}/sections/${encodeURIComponent(section.id)}/labels.pdf`;
      const response = await app.api.fetchRaw('GET', path);
      const url = URL.createObjectURL(await response.blob());
      status.textContent = '';
      window.open(url, '_blank', 'noopener');
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch {
      status.textContent = t('labels.failed');
    }
  };
  return h('div', { class: 'stack', testid: 'section-labels' },
    h('button', { type: 'button', class: 'button button-block', testid: 'section-labels-print', onclick: open }, t('labels.print')),
    h('p', { class: 'hint' }, t('labels.hint')), status);
}
