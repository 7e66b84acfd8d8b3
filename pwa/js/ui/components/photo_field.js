/** "Take photo": the camera input, the photos taken, and a line saying what happened. */
import { h, icon } from '../dom.js';
import { t } from '../i18n.js';
import { capturePhoto } from './photo_capture.js';
import { PhotoStrip } from './photo_strip.js';

const CAMERA_ICON = 'M12 9a4 4 0 1 0 0 8 4 4 0 0 0 0-8zm8-4h-3.2L15 3H9L7.2 5H4a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2zm-8 13a5 5 0 1 1 0-10 5 5 0 0 1 0 10z';

/**
 * `onAdd(sha, file)` is called once per picture, after it is resized and stored on the phone
 * (`file`, the camera's, tells when it was taken);
 * `onRemove(sha)` (optional) offers removing photos. testids: `<testid>` (the file input),
 * `<testid>-button` (its label), `<testid>-list`, `<testid>-status`. Call `destroy()` on leave.
 */
export class PhotoField {
  constructor(app, { id, testid = id, label = t('photo.take'), shas = [], onAdd, onRemove }) {
    this.strip = new PhotoStrip(app, { testid: `${testid}-list`, onRemove });
    this.strip.set(shas);
    this.status = h('p', { class: 'hint', testid: `${testid}-status`, role: 'status' });
    const input = h('input', {
      id, type: 'file', accept: 'image/*', capture: 'environment', class: 'file-input', testid,
      onchange: async () => {
        const files = [...input.files];
        input.value = '';
        for (const file of files) {
          this.status.textContent = t('photo.processing');
          try {
            const sha = await capturePhoto(file);
            this.status.textContent = navigator.onLine ? t('photo.saved') : t('photo.savedOffline');
            await onAdd(sha, file);
          } catch (error) {
            console.warn('photo could not be read', error);
            this.status.textContent = t('photo.unreadable');
          }
        }
      },
    });
    this.element = h('div', { class: 'field photo-field' },
      h('label', { for: id, class: 'button button-block file-label', testid: `${testid}-button` }, icon(CAMERA_ICON), label),
      input,
      this.status,
      this.strip.element);
  }

  /** Shows the record's photos as they are now. */
  set(shas) {
    this.strip.set(shas);
  }

  destroy() {
    this.strip.destroy();
  }
}
