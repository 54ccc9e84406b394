/**
 * What an upload really is, decided from its bytes, never from its name or
 * declared type:
 * - the type comes from the magic bytes (`file-type`) and must be one the
 *   asset store holds (PNG, JPEG, WebP; MP3, M4A, Ogg, WAV). SVG is never
 *   accepted: it is text that can carry script.
 * - images are checked for size from their header before any decoding
 *   (decompression bombs: a few kilobytes of PNG can claim billions of
 *   pixels), then decoded and re-encoded with `sharp`, which drops EXIF,
 *   GPS, ICC comments and anything hidden after the image data.
 * - a file name with folders, `..`, encoded separators or control
 *   characters is refused outright; the stored key never uses it anyway.
 */
import { fileTypeFromBuffer } from 'file-type';
import sharp, { type Metadata } from 'sharp';
import { SUPPORTED_MIME_TYPES, formatForMimeType, type AssetType } from '../storage/index.ts';
import { HttpError } from '../http/http-error.ts';

/** Most pixels an uploaded image may have (about 8000 × 5000). */
export const MAX_IMAGE_PIXELS = 40_000_000;
/** Longest side kept after re-encoding; larger images are scaled down. */
export const MAX_IMAGE_SIDE = 4096;

/** file-type's names for formats the store files under another. */
const MIME_ALIASES: Record<string, string> = { 'audio/x-m4a': 'audio/mp4', 'audio/ogg; codecs=opus': 'audio/ogg', 'audio/vnd.wave': 'audio/wav', 'audio/x-wav': 'audio/wav' };

export interface InspectedUpload {
  type: AssetType;
  mimeType: string;
  /** What to store: re-encoded for images, as received for audio. */
  bytes: Uint8Array;
  width: number | null;
  height: number | null;
}

/** Refuses names that try to be paths. */
export function checkFileName(name: string): string {
  const trimmed = name.trim();
  const unsafe =
    trimmed.length === 0 || trimmed.length > 200 || /[/\\\u0000-\u001f\u007f]/.test(trimmed) || /(^|[^.])\.\.($|[^.])|^\.+$/.test(trimmed) || /%(2e|2f|5c|00)/i.test(trimmed);
  if (unsafe) throw HttpError.invalid({ 'file.name': ['must be a plain file name (at most 200 characters) without folders, "..", encoded separators or control characters'] });
  return trimmed;
}

export async function inspectUpload(bytes: Uint8Array): Promise<InspectedUpload> {
  if (bytes.byteLength === 0) throw HttpError.invalid({ file: ['is empty'] });
  const detected = await fileTypeFromBuffer(bytes);
  const mimeType = detected ? (MIME_ALIASES[detected.mime] ?? detected.mime) : undefined;
  if (!mimeType || !SUPPORTED_MIME_TYPES.includes(mimeType)) {
    throw new HttpError(415, `This file is ${detected ? `${detected.mime} (from its content)` : 'of a kind we cannot recognise'}; upload one of ${SUPPORTED_MIME_TYPES.join(', ')}.`, {
      file: ['is not a supported image or audio file (SVG is never accepted)'],
    });
  }
  const format = formatForMimeType(mimeType);
  if (format.type === 'audio') return { type: 'audio', mimeType, bytes, width: null, height: null };
  return { type: 'image', mimeType, ...(await reencodeImage(bytes, mimeType)) };
}

async function reencodeImage(bytes: Uint8Array, mimeType: string): Promise<{ bytes: Uint8Array; width: number; height: number }> {
  const options = { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' as const };
  let meta: Metadata;
  try {
    // Reads the header only, so no limit is needed here; the size is judged just below.
    meta = await sharp(bytes, { ...options, limitInputPixels: false }).metadata();
  } catch {
    throw HttpError.invalid({ file: ['is not a readable image'] });
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width * height > MAX_IMAGE_PIXELS || width === 0 || height === 0) {
    throw HttpError.invalid({ file: [`is ${width}×${height} pixels; images may have at most ${MAX_IMAGE_PIXELS / 1_000_000} megapixels`] });
  }
  try {
    // rotate() bakes in the EXIF orientation before the metadata is dropped.
    let image = sharp(bytes, options).rotate().resize({ width: MAX_IMAGE_SIDE, height: MAX_IMAGE_SIDE, fit: 'inside', withoutEnlargement: true });
    image = mimeType === 'image/png' ? image.png() : mimeType === 'image/webp' ? image.webp({ quality: 85 }) : image.jpeg({ quality: 88 });
    const { data, info } = await image.toBuffer({ resolveWithObject: true });
    return { bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  } catch (err) {
    if (/pixel limit/i.test((err as Error).message)) throw HttpError.invalid({ file: [`has more than ${MAX_IMAGE_PIXELS / 1_000_000} megapixels`] });
    throw HttpError.invalid({ file: ['is a damaged image that could not be decoded'] });
  }
}
