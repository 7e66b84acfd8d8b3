/**
 * "Today's report" and "This week's report": the server makes the PDF (it needs a connection);
 * the button shows how much has arrived while it downloads, then saves the file.
 */
import { ApiError, NetworkError } from '../../sync/api_client.js';
import { h } from '../dom.js';
import { currentLocale, formatNumber, t } from '../i18n.js';

async function readWithProgress(response, onProgress) {
  const total = Number(response.headers.get('Content-Length')) || 0;
  const reader = response.body.getReader();
  const chunks = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    onProgress(received, total);
  }
  return new Blob(chunks, { type: 'application/pdf' });
}

function save(name, blob) {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A button fetching the project's report for `date` (`period` day or week); testid `report-<period>`. */
export function ReportDownload(app, { projectId, projectCode, date, period }) {
  const bar = h('progress', { max: 1, 'aria-hidden': 'true' });
  const label = h('span', {});
  const progress = h('p', { class: 'transfer-progress', role: 'status', testid: `report-${period}-progress`, hidden: true }, label, bar);
  const button = h('button', {
    type: 'button', class: 'button button-block', testid: `report-${period}`,
    onclick: async () => {
      if (!navigator.onLine) {
        app.notify(t('dashboard.reportOffline'));
        return;
      }
      button.disabled = true;
      progress.hidden = false;
      bar.removeAttribute('value');
      label.textContent = t('dashboard.downloading', { percent: '' });
      try {
        const query = new URLSearchParams({ date, period, format: 'pdf', lang: currentLocale() });
        const response = await app.api.fetchRaw('GET', `/api/projects/${encodeURIComponent(projectId)}/reports/daily?${query}`);
        const blob = await readWithProgress(response, (received, total) => {
          if (!total) return;
          bar.max = total;
          bar.value = received;
          label.textContent = t('dashboard.downloading', { percent: `${formatNumber(Math.floor((100 * received) / total))}%` });
        });
        const name = `${projectCode}-${period === 'week' ? 'week' : 'day'}-${date}.pdf`;
        save(name, blob);
        app.notify(t('dashboard.downloaded', { name }));
      } catch (error) {
        if (error instanceof NetworkError) app.notify(t('dashboard.reportOffline'));
        else app.notify(t('dashboard.reportFailed', { status: error instanceof ApiError ? error.status : error.message }));
      } finally {
        button.disabled = false;
        progress.hidden = true;
      }
    },
  }, t(period === 'week' ? 'dashboard.reportWeek' : 'dashboard.reportDay'));
  return h('div', { class: 'stack' }, button, progress);
}
