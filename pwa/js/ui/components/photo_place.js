/**
 * When and where a photo was taken, kept beside it as a `photo_meta` record (the image bytes carry
 * neither: the resize drops EXIF and the server strips it; see sync/photo_places.js). The time is
 * the camera file's; the place is asked of the phone (Geolocation API) only once the user allows
 * it, and left out otherwise.
 */
const LOCATE_TIMEOUT_MS = 8_000;
const FRESH_ENOUGH_MS = 60_000; // a position a minute old is where the photo was taken

/** `{latitude, longitude, accuracy_m}` now, or null when refused, unavailable or too slow. */
export function currentPlace() {
  if (!('geolocation' in navigator)) return Promise.resolve(null);
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      ({ coords }) => resolve({ latitude: coords.latitude, longitude: coords.longitude, accuracy_m: coords.accuracy }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: LOCATE_TIMEOUT_MS, maximumAge: FRESH_ENOUGH_MS });
  });
}

/**
 * When a photo was taken: the camera file's time (the moment the picture was made, for a photo
 * taken in the app; its last change, for one picked from the gallery), else now.
 */
export function takenAt(file) {
  const taken = file?.lastModified ? new Date(file.lastModified) : new Date();
  return taken.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
