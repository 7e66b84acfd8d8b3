/**
 * Turns a camera picture into what a record names: a JPEG of at most 1600 px on its long side,
 * named by the SHA-256 of its bytes and kept in `pending_blobs` until the sync loop uploads it.
 * Resizing on the phone keeps uploads small on a site's weak mobile signal. The resize drops EXIF,
 * so when and where a picture was taken travel beside it (photo_place.js, a `photo_meta` record).
 */
import { savePendingBlob } from '../../db/pending_blobs.js';

const MAX_SIDE = 1600;
const JPEG_QUALITY = 0.82;

/** The picture's bytes as a resized JPEG: `{sha256, bytes, contentType}`. */
export async function preparePhoto(file) {
  const image = await decode(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(image.width, image.height));
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  context.fillStyle = '#fff'; // a transparent PNG would otherwise turn black in JPEG
  context.fillRect(0, 0, width, height);
  context.drawImage(image, 0, 0, width, height);
  image.close?.();
  const blob = await new Promise((resolve, reject) => {
    canvas.toBlob((result) => (result ? resolve(result) : reject(new Error('canvas.toBlob failed'))), 'image/jpeg', JPEG_QUALITY);
  });
  const bytes = await blob.arrayBuffer();
  return { sha256: await sha256Hex(bytes), bytes, contentType: 'image/jpeg' };
}

/** Prepares a picture and keeps it for upload; returns its SHA-256 name. */
export async function capturePhoto(file) {
  const { sha256, bytes, contentType } = await preparePhoto(file);
  await savePendingBlob(sha256, bytes, contentType);
  return sha256;
}

/** Lower-case hex SHA-256 of the bytes (crypto.subtle: the app runs on HTTPS or localhost). */
export async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Decodes upright (EXIF orientation applied), falling back to an <img> where createImageBitmap cannot. */
async function decode(file) {
  if ('createImageBitmap' in globalThis) {
    try {
      return await createImageBitmap(file, { imageOrientation: 'from-image' });
    } catch {
      // Fall through: older Safari rejects the options or the format.
    }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url);
  }
}
