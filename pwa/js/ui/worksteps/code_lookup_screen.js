/**
 * Opening a record by its label (/scan): the camera where the browser can read QR codes
 * (BarcodeDetector), and everywhere the short code printed under the QR, typed. A typed code is
 * looked up among the records on this phone, so it works offline once they are synced.
 */
import { findByCode, normaliseCode, pathInScan, printedCode } from '../../sync/short_code.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { recordTitle, typeLabel } from '../components/record_text.js';
import { Screen } from '../screen.js';

const SCAN_EVERY_MS = 300;

export class CodeLookupScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.matches = null; // the records of the last typed code, when more than one
    this.onDestroy(() => this.stopCamera());
  }

  async render() {
    if (this.form) return;
    this.status = h('p', { class: 'hint', testid: 'code-status', role: 'status' });
    this.results = h('ul', { class: 'record-list', testid: 'code-matches' });
    this.form = h('form', { class: 'stack', testid: 'code-form', novalidate: true, onsubmit: (event) => this.lookUp(event) },
      h('label', { for: 'code-input' }, t('scan.typeCode')),
      h('input', { id: 'code-input', name: 'code', testid: 'code-input', autocomplete: 'off', autocapitalize: 'characters',
        spellcheck: 'false', inputmode: 'text', maxlength: 12, class: 'code-input' }),
      h('button', { type: 'submit', class: 'button button-primary button-block', testid: 'code-open' }, t('scan.open')));
    this.video = h('video', { class: 'scan-video', playsinline: true, muted: true, hidden: true, testid: 'scan-video' });
    const canScan = 'BarcodeDetector' in window && navigator.mediaDevices?.getUserMedia;
    this.show(
      h('header', { class: 'screen-header' }, h('h1', { tabindex: '-1' }, t('scan.title')), h('p', { class: 'muted' }, t('scan.intro'))),
      canScan ? h('button', { type: 'button', class: 'button button-block', testid: 'scan-camera', onclick: () => this.startCamera() }, t('scan.camera')) : null,
      this.video,
      this.form, this.status, this.results);
  }

  async lookUp(event) {
    event.preventDefault();
    const code = normaliseCode(new FormData(this.form).get('code'));
    this.results.replaceChildren();
    if (!code) {
      this.status.textContent = t('scan.badCode');
      return;
    }
    const found = await findByCode(code);
    if (found.length === 1) {
      this.app.router.navigate(`/r/${found[0].type}/${found[0].id}`);
      return;
    }
    this.status.textContent = found.length ? t('scan.several', { code: printedCode(code) }) : t('scan.notFound', { code: printedCode(code) });
    this.results.replaceChildren(...found.map((view) => h('li', {}, h('a', { class: 'record-item', href: `/r/${view.type}/${view.id}` },
      `${typeLabel(view.type)} · ${recordTitle(view)}`))));
  }

  async startCamera() {
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    } catch {
      this.status.textContent = t('scan.noCamera');
      return;
    }
    this.video.srcObject = this.stream;
    this.video.hidden = false;
    await this.video.play();
    const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
    this.timer = setInterval(async () => {
      const codes = await detector.detect(this.video).catch(() => []);
      const path = codes.map((code) => pathInScan(code.rawValue)).find(Boolean);
      if (path) {
        this.stopCamera();
        this.app.router.navigate(path);
      }
    }, SCAN_EVERY_MS);
  }

  stopCamera() {
    clearInterval(this.timer);
    this.stream?.getTracks().forEach((track) => track.stop());
    this.stream = null;
  }
}
