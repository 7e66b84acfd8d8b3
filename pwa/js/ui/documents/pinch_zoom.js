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
      this.set(this.start.zoom * (this.distance() / this.start.distance), this.midpoint());
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

  /** The point between the two fingers, in client coordinates. */
  midpoint() {
    const [a, b] = [...this.pointers.values()];
    return { x: (a.clientX + b.clientX) / 2, y: (a.clientY + b.clientY) / 2 };
  }

  /**
   * Zooms to `zoom` (bounded), keeping the drawing's point at `anchor` (client coordinates: the
   * fingers' midpoint, so the detail pinched stays under them) or else at the viewport's centre.
   */
  set(zoom, anchor = null) {
    const next = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
    const { viewport } = this;
    const box = viewport.getBoundingClientRect();
    const x = anchor ? anchor.x - box.left - viewport.clientLeft : viewport.clientWidth / 2;
    const y = anchor ? anchor.y - box.top - viewport.clientTop : viewport.clientHeight / 2;
    // Where the anchor falls on the drawing, as fractions of what the viewport scrolls over.
    const across = (viewport.scrollLeft + x) / (viewport.scrollWidth || 1);
    const down = (viewport.scrollTop + y) / (viewport.scrollHeight || 1);
    // Zoomed, the frame keeps the height it had: growing with the drawing would move the page
    // (and the point pinched) under the fingers.
    viewport.style.height = next > MIN_ZOOM ? viewport.style.height || `${box.height}px` : '';
    this.zoom = next;
    this.page.style.width = `${next * 100}%`;
    viewport.scrollLeft = across * viewport.scrollWidth - x;
    viewport.scrollTop = down * viewport.scrollHeight - y;
    this.onZoom(next);
  }
}
