/**
 * Thumbnails of a record's photos. Photos still on this phone show from their local bytes with
 * "Waiting to upload"; the others come from the server (with the token, so through fetch and a
 * blob URL; the service worker keeps them for offline use).
 */
import { onChange } from '../../db/change_feed.js';
import { readPendingBlob } from '../../db/pending_blobs.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';

const urls = new Map(); // `${sha}:${variant}` -> object URL, kept for the page's life

/**
 * `{url}` for a photo: its local bytes while pending, else the server's variant; or `{missing}`
 * ('offline', or 'elsewhere' when its author's phone has not uploaded it yet).
 */
async function photoUrl(api, sha256, variant) {
  const key = `${sha256}:${variant}`;
  if (urls.has(key)) return { url: urls.get(key) };
  const pending = await readPendingBlob(sha256);
  let blob;
  if (pending) blob = new Blob([pending.bytes], { type: pending.content_type });
  else {
    try {
      const response = await api.fetchRaw('GET', `/api/blobs/${sha256}?variant=${variant}`);
      blob = await response.blob();
    } catch (error) {
      return { missing: error.status === 404 ? 'elsewhere' : 'offline' };
    }
  }
  const url = URL.createObjectURL(blob);
  urls.set(key, url);
  return { url };
}

const MISSING_TEXT = { offline: 'photo.offline', elsewhere: 'photo.notUploaded' };

export class PhotoStrip {
  /** `onRemove(sha)`, when given, adds a remove button to each photo. */
  constructor(app, { testid = 'photo-list', onRemove, label } = {}) {
    this.app = app;
    this.onRemove = onRemove;
    this.shas = [];
    this.element = h('ul', { class: 'photo-strip', testid, 'aria-label': label ?? t('field.photos') });
    this.stop = onChange('blobs', () => this.refreshBadges());
  }

  /** Shows these photos (in this order). */
  set(shas) {
    const next = [...(shas ?? [])];
    if (next.length > 0 && next.join() === this.shas.join()) {
      this.refreshBadges();
      return;
    }
    this.shas = next;
    this.element.replaceChildren(...this.shas.map((sha) => this.thumb(sha)));
    this.element.hidden = this.shas.length === 0;
    this.refreshBadges();
  }

  thumb(sha) {
    const img = h('img', { alt: t('photo.alt'), width: 96, height: 96, loading: 'lazy', decoding: 'async' });
    const badge = h('span', { class: 'photo-badge', hidden: true });
    photoUrl(this.app.api, sha, 'thumb').then(({ url, missing }) => {
      if (url) img.src = url;
      else img.replaceWith(h('span', { class: 'photo-missing' }, t(MISSING_TEXT[missing])));
    });
    return h('li', { class: 'photo', testid: 'photo-thumb', dataset: { sha } },
      h('button', {
        type: 'button', class: 'photo-open', 'aria-label': t('photo.open'),
        onclick: () => openPhoto(this.app, sha),
      }, img),
      badge,
      this.onRemove ? h('button', {
        type: 'button', class: 'photo-remove', testid: 'photo-remove', 'aria-label': t('photo.remove'),
        onclick: () => this.onRemove(sha),
      }, '×') : null);
  }

  /** Marks photos still waiting for upload, or refused by the server. */
  async refreshBadges() {
    for (const item of this.element.querySelectorAll('li.photo')) {
      const pending = await readPendingBlob(item.dataset.sha);
      const badge = item.querySelector('.photo-badge');
      badge.hidden = !pending;
      badge.className = `photo-badge ${pending?.error ? 'photo-refused' : ''}`;
      badge.textContent = pending ? (pending.error ? t('photo.refused') : t('photo.pending')) : '';
      if (pending) badge.dataset.testid = pending.error ? 'photo-refused' : 'photo-pending';
      else delete badge.dataset.testid;
    }
  }

  destroy() {
    this.stop();
  }
}

/** A full-screen view of one photo (the display size), closed by its big button or Escape. */
async function openPhoto(app, sha) {
  const img = h('img', { alt: t('photo.alt'), class: 'photo-large' });
  const dialog = h('dialog', { class: 'photo-dialog', testid: 'photo-viewer', onclose: () => dialog.remove() },
    h('form', { method: 'dialog' }, h('button', { class: 'button button-block', testid: 'photo-viewer-close' }, t('common.close'))),
    img);
  document.body.append(dialog);
  dialog.showModal();
  const { url, missing } = await photoUrl(app.api, sha, 'display');
  if (url) img.src = url;
  else img.replaceWith(h('p', { class: 'notice' }, t(MISSING_TEXT[missing])));
}
