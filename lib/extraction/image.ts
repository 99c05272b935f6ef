// Photos and scans of notes: always OCR'd. Tesseract reads PNG, JPEG, WebP and
// TIFF itself. Phone photos are often 4,000 px or more a side, which makes OCR
// several times slower without reading small print any better, so larger
// PNG, JPEG and WebP images are scaled down first.
import { extractionErrors } from './errors';
import { normalizeText } from './text';

/** Longest side, in pixels, an image is OCR'd at (about 300 dpi for a US Letter page). */
export const MAX_OCR_SIDE = 3300;

/** The image scaled so its longest side is at most MAX_OCR_SIDE, as PNG; the bytes unchanged when already small. */
export async function fitForOcr(bytes: Uint8Array): Promise<Uint8Array> {
  const { createCanvas, loadImage } = await import('@napi-rs/canvas');
  const image = await loadImage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const scale = MAX_OCR_SIDE / Math.max(image.width, image.height);
  if (scale >= 1) return bytes;
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const canvas = createCanvas(width, height);
  canvas.getContext('2d').drawImage(image, 0, 0, width, height);
  return canvas.toBuffer('image/png');
}

export async function extractImage(
  bytes: Uint8Array,
  kind: 'png' | 'jpeg' | 'webp' | 'tiff',
  recognize: (image: Uint8Array) => Promise<string>,
  signal?: AbortSignal,
): Promise<string> {
  signal?.throwIfAborted();
  let text: string;
  try {
    const input = kind === 'tiff' ? bytes : await fitForOcr(bytes);
    signal?.throwIfAborted();
    text = await recognize(input);
  } catch (error) {
    if (signal?.aborted) throw error;
    throw extractionErrors.corrupt(kind, kind.toUpperCase(), error);
  }
  return normalizeText(text);
}
