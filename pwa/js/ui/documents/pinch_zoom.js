/**
 * Two-finger zoom of a drawing page: the viewport lets the browser pan (`touch-action: pan-x
 * pan-y`) and leaves pinching to this; the page is drawn wider, so the viewport scrolls over it.
 * Buttons do the same for one hand or a mouse.
 */
export const MIN_ZOOM = 1;
export const MAX_ZOOM = 6;

export class PinchZoom {
  constructor(viewport, page, onZoom = () => {}) {
    this.viewport = viewport;
    this.page = page;
    this.onZoom = onZoom;
    this.zoom = 1;
    this.pointers = new Map();
    this.start = null; // {distance, zoom} when the second finger landed
    viewport.addEventListener('pointerdown', (event) => this.down(event));
    viewport.addEventListener('pointermove', (event) => this.move(event));
    for (const type of ['pointerup', 'pointercancel', 'pointerleave']) viewport.addEventListener(type, (event) => this.up(event));
  }

  down(event) {
    if (event.pointerType !== 'touch') return;
    this.pointers.set(event.pointerId, event);
    if (this.pointers.size === 2) this.start = { distance: this.distance(), zoom: this.zoom };
  }

  move(event) {
    if (!this.pointers.has(event.pointerId)) return;
    this.pointers.set(event.pointerId, event);
    if (this.pointers.size === 2 && this.start) {
      event.preventDefault();
      this.set(this.start.zoom * (this.distance() / this.start.distance));
    }
  }

  up(event) {
    this.pointers.delete(event.pointerId);
    if (this.pointers.size < 2) this.start = null;
  }

  distance() {
    const [a, b] = [...this.pointers.values()];
    return Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY) || 1;
  }

  /** Zooms to `zoom` (bounded), keeping the viewport's centre where it was. */
  set(zoom) {
    const next = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
    const { viewport } = this;
    const centreX = (viewport.scrollLeft + viewport.clientWidth / 2) / (viewport.scrollWidth || 1);
    const centreY = (viewport.scrollTop + viewport.clientHeight / 2) / (viewport.scrollHeight || 1);
    this.zoom = next;
    this.page.style.width = `${next * 100}%`;
    viewport.scrollLeft = centreX * viewport.scrollWidth - viewport.clientWidth / 2;
    viewport.scrollTop = centreY * viewport.scrollHeight - viewport.clientHeight / 2;
    this.onZoom(next);
  }
}
