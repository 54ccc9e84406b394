/**
 * Pixels for covers, through sharp (libvips + librsvg, bundled with the npm
 * package). PNG options are fixed so the same input always gives the same
 * bytes, and no metadata is written.
 */
import sharp from 'sharp';

const PNG_OPTIONS = { compressionLevel: 9, adaptiveFiltering: false, palette: false } as const;

/** Renders SVG markup to PNG at the size its root element declares. */
export async function svgToPng(svg: string): Promise<Uint8Array> {
  const png = await sharp(Buffer.from(svg), { density: 72 }).png(PNG_OPTIONS).toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/**
 * Decodes any image sharp reads, crops it to a centred square of `size`, and
 * lays `overlaySvg` (same size) on top. Re-encoding also drops whatever
 * metadata the source carried.
 */
export async function squarePng(image: Uint8Array, size: number, overlaySvg?: string): Promise<Uint8Array> {
  let pipeline = sharp(image, { limitInputPixels: 64_000_000 }).rotate().resize(size, size, { fit: 'cover', position: 'centre' });
  if (overlaySvg) pipeline = pipeline.composite([{ input: Buffer.from(overlaySvg), top: 0, left: 0 }]);
  const png = await pipeline.png(PNG_OPTIONS).toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
