/**
 * The media types the asset store holds, each with its asset type (the
 * `assets.type` column) and the file extension used in keys. The extension
 * alone gives back the media type, so every backend reports the same
 * Content-Type without storing it separately.
 */
import { UnsupportedMediaTypeError } from './storage-errors.ts';

export const ASSET_TYPES = ['image', 'audio'] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

export interface AssetFormat {
  mimeType: string;
  type: AssetType;
  extension: string;
}

// SVG is absent on purpose: it can carry script (see the uploads rules).
const FORMATS: readonly AssetFormat[] = [
  { mimeType: 'image/png', type: 'image', extension: 'png' },
  { mimeType: 'image/jpeg', type: 'image', extension: 'jpg' },
  { mimeType: 'image/webp', type: 'image', extension: 'webp' },
  { mimeType: 'audio/mpeg', type: 'audio', extension: 'mp3' },
  { mimeType: 'audio/mp4', type: 'audio', extension: 'm4a' },
  { mimeType: 'audio/ogg', type: 'audio', extension: 'ogg' },
  { mimeType: 'audio/wav', type: 'audio', extension: 'wav' },
];

/** Every media type the store accepts. */
export const SUPPORTED_MIME_TYPES: readonly string[] = FORMATS.map((f) => f.mimeType);

/** The format for a media type (parameters such as `; charset` ignored), or throws UnsupportedMediaTypeError. */
export function formatForMimeType(mimeType: string): AssetFormat {
  const bare = mimeType.split(';')[0]!.trim().toLowerCase();
  const format = FORMATS.find((f) => f.mimeType === bare);
  if (!format) throw new UnsupportedMediaTypeError(mimeType, SUPPORTED_MIME_TYPES);
  return format;
}

/** The format for a key's extension, or undefined when the extension is not ours. */
export function formatForExtension(extension: string): AssetFormat | undefined {
  return FORMATS.find((f) => f.extension === extension);
}
