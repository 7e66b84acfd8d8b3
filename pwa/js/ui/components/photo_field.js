/**
 * "Take photo": the camera input, the photos taken, and a line saying what happened. Every photo
 * keeps when it was taken and, with the user's permission, where (photo_places.js sends them
 * beside the first change that uses it), and can be marked up with a finger: the marked-up copy
 * joins the photos as a new one and the original is never altered.
 */
import { keepPhotoPlace, readPhotoPlace } from '../../sync/photo_places.js';
import { h, icon } from '../dom.js';
import { t } from '../i18n.js';
import { capturePhoto } from './photo_capture.js';
import { PhotoMarkup } from './photo_markup.js';
import { currentPlace, takenAt } from './photo_place.js';
import { PhotoStrip } from './photo_strip.js';

/** Pictures still being resized and stored, on any photo field. */
const inFlight = new Set();

/**
 * Resolves once every picture chosen so far has been resized, stored and handed to its form.
 * A form's save awaits it before reading its photos: a tap on Save while the last picture is
 * still being processed keeps that picture instead of saving without it. `button` (the one
 * tapped) says it is waiting for the photo and takes no second tap meanwhile.
 */
export async function photosSettled(button) {
  if (inFlight.size === 0) return;
  const label = button ? [...button.childNodes] : [];
  if (button) {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    button.textContent = t('photo.processing');
  }
  try {
    while (inFlight.size) await Promise.allSettled([...inFlight]);
  } finally {
    if (button) {
      button.replaceChildren(...label);
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  }
}

function track(work) {
  inFlight.add(work);
  work.finally(() => inFlight.delete(work));
  return work;
}

const CAMERA_ICON = 'M12 9a4 4 0 1 0 0 8 4 4 0 0 0 0-8zm8-4h-3.2L15 3H9L7.2 5H4a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2zm-8 13a5 5 0 1 1 0-10 5 5 0 0 1 0 10z';

/**
 * `onAdd(sha, file)` is called once per picture, after it is resized and stored on the phone
 * (`file`, the camera's, tells when it was taken);
 * `onRemove(sha)` (optional) offers removing photos. A marked-up copy comes through `onAdd` too.
 * testids: `<testid>` (the file input), `<testid>-button` (its label), `<testid>-list`,
 * `<testid>-status`, `<testid>-markup-open` (one per photo taken). Call `destroy()` on leave.
 */
export class PhotoField {
  constructor(app, { id, testid = id, label = t('photo.take'), shas = [], onAdd, onRemove, markup = true }) {
    this.app = app;
    this.testid = testid;
    this.onAdd = onAdd;
    this.shas = [...shas];
    this.copies = new Set(); // marked-up copies made here: no "mark up" button of their own
    this.strip = new PhotoStrip(app, { testid: `${testid}-list`, onRemove });
    this.strip.set(shas);
    this.markupBox = markup ? h('div', { class: 'photo-markup', testid: `${testid}-markup` }) : null;
    this.status = h('p', { class: 'hint', testid: `${testid}-status`, role: 'status' });
    const input = h('input', {
      id, type: 'file', accept: 'image/*', capture: 'environment', class: 'file-input', testid,
      onchange: () => {
        const files = [...input.files];
        input.value = '';
        track(this.take(files));
      },
    });
    this.element = h('div', { class: 'field photo-field' },
      h('label', { for: id, class: 'button button-block file-label', testid: `${testid}-button` }, icon(CAMERA_ICON), label),
      input,
      this.status,
      this.strip.element,
      this.markupBox);
    this.showMarkupChoices();
  }

  /** Resizes and stores each picture, then hands it to the form. */
  async take(files) {
    for (const file of files) {
      this.status.textContent = t('photo.processing');
      try {
        const sha = await capturePhoto(file);
        await keepPhotoPlace(sha, { taken_at: takenAt(file) });
        this.status.textContent = navigator.onLine ? t('photo.saved') : t('photo.savedOffline');
        await this.onAdd(sha, file);
        // The place, once the phone answers (and only if the user allows it): never waited for.
        currentPlace().then((place) => place && keepPhotoPlace(sha, place));
      } catch (error) {
        console.warn('photo could not be read', error);
        this.status.textContent = t('photo.unreadable');
      }
    }
  }

  /** Shows the record's photos as they are now; `copies`: those known to be marked-up copies. */
  set(shas, copies = []) {
    for (const sha of copies) this.copies.add(sha);
    this.shas = [...shas];
    this.strip.set(shas);
    this.showMarkupChoices();
  }

  /** One "mark up" button per photo taken (not per marked-up copy), or the editor when one is open. */
  showMarkupChoices() {
    if (!this.markupBox || this.markup) return;
    const originals = this.shas.filter((sha) => !this.copies.has(sha));
    this.markupBox.classList.toggle('markup-choices', true);
    this.markupBox.replaceChildren(...originals.map((sha) => h('button', {
      type: 'button', class: 'button markup-choice', testid: `${this.testid}-markup-open`, dataset: { sha },
      onclick: () => this.openMarkup(sha),
    }, t('markup.open', { number: this.shas.indexOf(sha) + 1 }))));
  }

  openMarkup(sha) {
    const close = () => {
      this.markup = null;
      this.showMarkupChoices();
    };
    this.markup = new PhotoMarkup(this.app, sha, {
      onClose: close,
      onSaved: (marked) => track((async () => {
        // The copy was taken when and where its original was, and says which one it was drawn on.
        const { project_id: _sent, id: _id, ...original } = (await readPhotoPlace(sha)) ?? {};
        await keepPhotoPlace(marked, { ...original, derived_from: sha });
        this.copies.add(marked);
        this.markup = null;
        await this.onAdd(marked, null);
        close();
      })()),
    });
    this.markupBox.classList.toggle('markup-choices', false);
    this.markupBox.replaceChildren(this.markup.element);
  }

  destroy() {
    this.strip.destroy();
  }
}
