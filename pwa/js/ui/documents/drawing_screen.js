/**
 * A version of a document as a drawing (/r/document_version/:id): its pages as images the server
 * rendered (kept on the phone when the document is kept offline), zoomed with two fingers, with
 * the records pinned on it coloured by their state. Tapping a pin opens its record. A superseded
 * version says so at the top. Pins placed on an older version show on the current one, marked
 * with the revision they were placed on, until someone moves them.
 */
import { loadView, loadViews } from '../../sync/local_view.js';
import { may, rolesIn } from '../../sync/permissions.js';
import { typeLabel } from '../components/record_text.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { Screen } from '../screen.js';
import { documentLabel, fileLayout, imageUrl, pageUrl, versionsOf } from './document_data.js';
import { PinLayer, pinnableRecords } from './drawing_pins.js';
import { PinchZoom } from './pinch_zoom.js';

export class DrawingScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.page = 1;
    this.layout = null; // {pages} | {image} | {missing}, asked once per visit
    this.urls = new Map(); // image URL -> object URL, for this visit
    this.pins = new PinLayer(this);
    this.img = h('img', { class: 'drawing-image', alt: '', draggable: 'false', testid: 'drawing-image' });
    this.sheet = h('div', { class: 'drawing-page', testid: 'drawing-page', onclick: (event) => this.pins.tapped(event) }, this.img, this.pins.markers);
    this.viewport = h('div', { class: 'drawing-viewport', testid: 'drawing-viewport' }, this.sheet);
    this.zoomLabel = h('span', { class: 'zoom-label', testid: 'zoom-label' }, '100%');
    this.zoom = new PinchZoom(this.viewport, this.sheet, (zoom) => { this.zoomLabel.textContent = `${Math.round(zoom * 100)}%`; });
    this.refreshOn('records');
    this.onDestroy(() => { for (const url of this.urls.values()) URL.revokeObjectURL(url); });
  }

  async render() {
    const version = await loadView('document_version', this.params.id);
    if (!version) {
      this.show(h('h1', { tabindex: '-1' }, typeLabel('document_version')), h('p', { class: 'empty', testid: 'record-missing' }, t('record.missing')));
      return;
    }
    const [doc, allVersions, allPins, candidates] = await Promise.all([
      loadView('document', version.fields.document_id), loadViews('document_version'), loadViews('pin'), pinnableRecords(version.fields.project_id)]);
    const versions = versionsOf(allVersions, version.fields.document_id);
    const [current] = versions;
    const isCurrent = current?.id === version.id;
    this.layout ??= await fileLayout(this.app.api, version.fields.file);
    const pageCount = this.layout.pages ?? 1;
    this.page = Math.min(this.page, pageCount);
    // On the current version every pin of the document shows; on an older one, its own only.
    const pins = allPins.filter((pin) => pin.fields.document_id === version.fields.document_id
      && (isCurrent || pin.fields.version_id === version.id));
    const roles = rolesIn(this.app.session, version.fields.project_id);
    // A superseded sheet carries its mark across the drawing itself, as stamped paper copies do.
    this.sheet.dataset.superseded = String(!isCurrent);
    this.sheet.dataset.mark = isCurrent ? '' : t('documents.superseded');
    this.pins.update({ version, versions, pins, page: this.page, candidates, mayPin: isCurrent && may(roles, 'pin', 'create'), mayMove: isCurrent && may(roles, 'pin', 'edit') });
    this.show(
      h('header', { class: 'screen-header', testid: 'drawing-header', dataset: { current: String(isCurrent) } },
        h('p', { class: 'eyebrow' }, doc ? t(`kind.${doc.fields.kind}`) : typeLabel('document')),
        h('h1', { tabindex: '-1' }, doc ? h('a', { href: `/r/document/${doc.id}` }, documentLabel(doc)) : t('record.missing'),
          ' ', t('documents.revision', { revision: version.fields.revision ?? '?' }))),
      isCurrent ? null : h('p', { class: 'banner banner-warning superseded-banner', role: 'note', testid: 'superseded-banner' },
        h('strong', {}, t('documents.superseded')), ' ',
        current ? h('a', { class: 'button', href: `/r/document_version/${current.id}`, testid: 'superseded-open-current' }, t('documents.supersededBy', { revision: current.fields.revision ?? '?' })) : null),
      this.fileView(version, pageCount),
      this.pins.element);
    await this.showPage(version);
  }

  fileView(version, pageCount) {
    if (this.layout.missing) {
      return h('p', { class: 'empty', testid: 'drawing-missing' },
        t(this.layout.missing === 'offline' ? 'documents.notOffline' : 'documents.fileNotUploaded'));
    }
    const go = (page) => { this.page = page; this.render(); };
    return h('div', { class: 'stack drawing' },
      h('div', { class: 'drawing-tools' },
        pageCount > 1 ? h('span', { class: 'drawing-pager' },
          h('button', { type: 'button', class: 'button', testid: 'page-prev', disabled: this.page <= 1, 'aria-label': t('documents.pagePrev'), onclick: () => go(this.page - 1) }, '‹'),
          h('span', { testid: 'page-label' }, t('documents.page', { page: this.page, pages: pageCount })),
          h('button', { type: 'button', class: 'button', testid: 'page-next', disabled: this.page >= pageCount, 'aria-label': t('documents.pageNext'), onclick: () => go(this.page + 1) }, '›')) : h('span'),
        h('span', { class: 'drawing-zoom' },
          h('button', { type: 'button', class: 'button', testid: 'zoom-out', 'aria-label': t('documents.zoomOut'), onclick: () => this.zoom.set(this.zoom.zoom / 1.5) }, '−'),
          this.zoomLabel,
          h('button', { type: 'button', class: 'button', testid: 'zoom-in', 'aria-label': t('documents.zoomIn'), onclick: () => this.zoom.set(this.zoom.zoom * 1.5) }, '+'))),
      h('p', { class: 'hint' }, t('documents.pinchHint')),
      this.viewport);
  }

  /** Loads the shown page's image (from the kept copy offline). */
  async showPage(version) {
    if (this.layout.missing) return;
    const url = this.layout.image ? imageUrl(version.fields.file) : pageUrl(version.fields.file, this.page);
    this.img.alt = t('documents.pageAlt', { page: this.page });
    if (!this.urls.has(url)) {
      try {
        const response = await this.app.api.fetchRaw('GET', url);
        this.urls.set(url, URL.createObjectURL(await response.blob()));
      } catch {
        this.img.removeAttribute('src');
        this.sheet.dataset.loaded = 'false';
        return;
      }
    }
    if (this.img.src !== this.urls.get(url)) this.img.src = this.urls.get(url);
    this.sheet.dataset.loaded = 'true';
    this.sheet.dataset.page = String(this.page);
  }
}
