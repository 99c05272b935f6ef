// Clinic logos and signatures are stored as PNG, JPEG or WebP (lib/storage/images.ts).
// react-pdf embeds only PNG and JPEG, and pdfkit (under it) decodes a PNG with an
// alpha channel, indexed transparency or interlacing asynchronously, writing its
// objects in whatever order those decodes finish: two such images make the output
// bytes vary from run to run. So JPEGs and plain opaque PNGs are embedded as they
// are, and everything else is drawn onto white (the paper) and re-encoded as an
// opaque RGB PNG, which pdfkit embeds without decoding. Bytes are handed over as a
// Buffer: react-pdf would treat a string as a path or URL to fetch, and would parse
// bytes that look like SVG as SVG.
import zlib from 'node:zlib';
import { detectImageType } from '@/lib/storage/images';

/** Longest side, in pixels, of a redrawn image: sharp at print size (about 4 in at 300 dpi), and small in the file. */
export const MAX_CONVERTED_SIDE = 1200;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Whether pdfkit embeds this PNG as it is (no decoding): 8 bits or fewer per sample,
 * not interlaced, greyscale, RGB or indexed, and no transparency chunk.
 */
export function isPlainOpaquePng(bytes: Buffer): boolean {
  if (bytes.length < 33 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return false;
  const bitDepth = bytes[24] ?? 0;
  const colorType = bytes[25];
  const interlace = bytes[28];
  if (bitDepth > 8 || interlace !== 0 || (colorType !== 0 && colorType !== 2 && colorType !== 3)) return false;
  for (let offset = 8; offset + 8 <= bytes.length; ) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    if (type === 'tRNS') return false;
    if (type === 'IDAT' || type === 'IEND') return true;
    offset += 12 + length;
  }
  return false;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGB PNG (no alpha, not interlaced) from RGBA pixels that are already opaque. */
export function encodeOpaquePng(width: number, height: number, rgba: Uint8Array | Uint8ClampedArray): Buffer {
  const stride = width * 3 + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    // Each row starts with its filter type; 0 (none) is always valid.
    let out = y * stride + 1;
    let inp = y * width * 4;
    for (let x = 0; x < width; x++, inp += 4) {
      raw[out++] = rgba[inp] ?? 0;
      raw[out++] = rgba[inp + 1] ?? 0;
      raw[out++] = rgba[inp + 2] ?? 0;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per sample
  header[9] = 2; // RGB
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** GIF, BMP or AVIF by their magic bytes: raster formats the canvas decodes. */
function isOtherRaster(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 12).toString('latin1');
  return head.startsWith('GIF87a') || head.startsWith('GIF89a') || head.startsWith('BM') || /^....ftypavi[fs]/s.test(head);
}

/**
 * The image as JPEG or opaque PNG bytes react-pdf embeds deterministically, or null
 * when it cannot be read at all (a letter without its logo is better than no letter).
 */
export async function toEmbeddableImage(bytes: Uint8Array | null): Promise<Buffer | null> {
  if (!bytes || bytes.byteLength === 0) return null;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = detectImageType(bytes);
  if (type === 'jpeg' || (type === 'png' && isPlainOpaquePng(buffer))) return buffer;
  // Only raster formats are redrawn: the canvas would also rasterise SVG, whose
  // references to other files or URLs must never be followed.
  if (type !== 'png' && type !== 'webp' && !isOtherRaster(buffer)) return null;
  try {
    const { createCanvas, loadImage } = await import('@napi-rs/canvas');
    const image = await loadImage(buffer);
    if (image.width === 0 || image.height === 0) return null;
    const scale = Math.min(1, MAX_CONVERTED_SIDE / Math.max(image.width, image.height));
    const width = Math.max(1, Math.round(image.width * scale));
    const height = Math.max(1, Math.round(image.height * scale));
    const canvas = createCanvas(width, height);
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, width, height);
    context.drawImage(image, 0, 0, width, height);
    return encodeOpaquePng(width, height, context.getImageData(0, 0, width, height).data);
  } catch {
    return null;
  }
}
