/**
 * Marking up a photo with a finger: arrows, circles, free lines and a short label, drawn in red
 * on a copy. Saving makes a new photo (a new sha256) beside the original, which is never altered;
 * it works offline, as the copy waits for upload like any photo taken.
 */
import { readPendingBlob, savePendingBlob } from '../../db/pending_blobs.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { sha256Hex } from './photo_capture.js';

const MAX_SIDE = 1600;
const INK = '#e11d2e';
const TOOLS = ['arrow', 'circle', 'pen', 'label'];

/** The original's bytes: from the phone while it waits for upload, else from the server. */
async function originalBlob(app, sha) {
  const pending = await readPendingBlob(sha);
  if (pending) return new Blob([pending.bytes], { type: pending.content_type });
  const response = await app.api.fetchRaw('GET', `/api/blobs/${sha}`);
  return response.blob();
}

export class PhotoMarkup {
  /** `onSaved(newSha)` once the marked-up copy is stored; `onClose()` when the editor is left. */
  constructor(app, sha, { onSaved, onClose }) {
    Object.assign(this, { app, sha, onSaved, onClose });
    this.shapes = []; // {tool, points: [[x, y], …], text?} in image pixels
    this.tool = 'arrow';
    this.canvas = h('canvas', { class: 'markup-canvas', testid: 'markup-canvas', 'aria-label': t('markup.canvas') });
    this.labelInput = h('input', { type: 'text', maxlength: 30, testid: 'markup-text', 'aria-label': t('markup.labelText'), placeholder: t('markup.labelText') });
    this.toolButtons = TOOLS.map((tool) => h('button', { type: 'button', class: 'button', testid: `markup-${tool}`, 'aria-pressed': String(tool === this.tool),
      onclick: () => this.pick(tool) }, t(`markup.${tool}`)));
    this.element = h('div', { class: 'markup stack', testid: 'photo-markup' },
      h('p', { class: 'hint' }, t('markup.hint')),
      h('div', { class: 'markup-tools' }, this.toolButtons),
      this.labelInput,
      this.canvas,
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'button', testid: 'markup-undo', onclick: () => { this.shapes.pop(); this.draw(); } }, t('markup.undo')),
        h('button', { type: 'button', class: 'button button-primary', testid: 'markup-save', onclick: () => this.save() }, t('markup.save')),
        h('button', { type: 'button', class: 'button', testid: 'markup-cancel', onclick: () => this.onClose() }, t('common.cancel'))));
    this.canvas.addEventListener('pointerdown', (event) => this.start(event));
    this.canvas.addEventListener('pointermove', (event) => this.extend(event));
    this.canvas.addEventListener('pointerup', () => { this.current = null; });
    this.load();
  }

  pick(tool) {
    this.tool = tool;
    this.toolButtons.forEach((button, i) => button.setAttribute('aria-pressed', String(TOOLS[i] === tool)));
  }

  async load() {
    const blob = await originalBlob(this.app, this.sha);
    this.image = await createImageBitmap(blob);
    const scale = Math.min(1, MAX_SIDE / Math.max(this.image.width, this.image.height));
    this.canvas.width = Math.round(this.image.width * scale);
    this.canvas.height = Math.round(this.image.height * scale);
    this.canvas.dataset.ready = 'true';
    this.draw();
  }

  /** A pointer position in image pixels (the canvas is shown scaled to the screen). */
  point(event) {
    const box = this.canvas.getBoundingClientRect();
    return [(event.clientX - box.left) * (this.canvas.width / box.width), (event.clientY - box.top) * (this.canvas.height / box.height)];
  }

  start(event) {
    if (!this.image) return;
    event.preventDefault();
    this.canvas.setPointerCapture?.(event.pointerId);
    const at = this.point(event);
    if (this.tool === 'label') {
      const text = this.labelInput.value.trim();
      if (text) this.shapes.push({ tool: 'label', points: [at], text });
      this.draw();
      return;
    }
    this.current = { tool: this.tool, points: [at, at] };
    this.shapes.push(this.current);
    this.draw();
  }

  extend(event) {
    if (!this.current) return;
    const at = this.point(event);
    if (this.current.tool === 'pen') this.current.points.push(at);
    else this.current.points[1] = at;
    this.draw();
  }

  draw() {
    if (!this.image) return;
    const context = this.canvas.getContext('2d');
    const width = Math.max(4, Math.round(this.canvas.width / 150));
    context.drawImage(this.image, 0, 0, this.canvas.width, this.canvas.height);
    context.strokeStyle = INK;
    context.fillStyle = INK;
    context.lineWidth = width;
    context.lineCap = 'round';
    context.lineJoin = 'round';
    for (const shape of this.shapes) {
      const [[x0, y0], [x1, y1] = [x0, y0]] = shape.points;
      context.beginPath();
      if (shape.tool === 'pen') {
        shape.points.forEach(([x, y], i) => (i ? context.lineTo(x, y) : context.moveTo(x, y)));
        context.stroke();
      } else if (shape.tool === 'circle') {
        context.ellipse((x0 + x1) / 2, (y0 + y1) / 2, Math.abs(x1 - x0) / 2 || 1, Math.abs(y1 - y0) / 2 || 1, 0, 0, 2 * Math.PI);
        context.stroke();
      } else if (shape.tool === 'arrow') {
        const angle = Math.atan2(y1 - y0, x1 - x0);
        const head = width * 5;
        context.moveTo(x0, y0);
        context.lineTo(x1, y1);
        context.moveTo(x1, y1);
        context.lineTo(x1 - head * Math.cos(angle - 0.45), y1 - head * Math.sin(angle - 0.45));
        context.moveTo(x1, y1);
        context.lineTo(x1 - head * Math.cos(angle + 0.45), y1 - head * Math.sin(angle + 0.45));
        context.stroke();
      } else if (shape.tool === 'label') {
        const size = width * 7;
        context.font = `bold ${size}px system-ui, "Noto Sans CJK SC", sans-serif`;
        context.lineWidth = width;
        context.strokeStyle = '#fff';
        context.strokeText(shape.text, x0, y0);
        context.fillText(shape.text, x0, y0);
        context.strokeStyle = INK;
      }
    }
  }

  async save() {
    if (!this.image || !this.shapes.length) return;
    const blob = await new Promise((resolve) => this.canvas.toBlob(resolve, 'image/jpeg', 0.85));
    const bytes = await blob.arrayBuffer();
    const sha = await sha256Hex(bytes);
    await savePendingBlob(sha, bytes, 'image/jpeg');
    await this.onSaved(sha);
  }
}
