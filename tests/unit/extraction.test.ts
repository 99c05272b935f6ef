import { afterAll, describe, expect, it, vi } from 'vitest';
import { extractText, isMeaningful, MAX_OCR_PAGES, preparePastedText, shutdownOcr } from '@/lib/extraction';
import { fitForOcr, MAX_OCR_SIDE } from '@/lib/extraction/image';
import type { FileKind } from '@/lib/db/generated/client';
import { appError } from '@/tests/support/errors';
import { corruptPdf, docx, encryptedPdf, noteImage, noteTiff, NOTE_LINES, scannedPdf, textPdf } from '@/tests/fixtures/files/generate';

// OCR runs the real tesseract worker with the bundled model (no network here).
const OCR_TIMEOUT = 90_000;
afterAll(() => shutdownOcr());

const extract = (bytes: Uint8Array, kind: FileKind, extra: Partial<Parameters<typeof extractText>[0]> = {}) =>
  extractText({ bytes, kind, handwritten: false, maxChars: 16_000, ...extra });

/** OCR may misread a character or two; these words come through reliably. */
function expectNoteWords(text: string): void {
  for (const word of ['diabetes', 'metformin', 'podiatry', 'shortness of breath']) expect(text).toContain(word);
}

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

describe('the meaningful-text rule', () => {
  it('needs at least 250 characters', () => {
    expect(isMeaningful('a'.repeat(249))).toBe(false);
    expect(isMeaningful('a'.repeat(250))).toBe(true);
  });

  it('needs at least a quarter of them to be letters', () => {
    const digits = '12 34 56 78 90 '.repeat(20);
    expect(isMeaningful(digits)).toBe(false);
    expect(isMeaningful(`${'x'.repeat(75)}${'1'.repeat(225)}`)).toBe(true);
    expect(isMeaningful(`${'x'.repeat(74)}${'1'.repeat(226)}`)).toBe(false);
  });
});

describe('PDF', () => {
  it('uses the text layer of a typed PDF without OCR', async () => {
    const onOcr = vi.fn();
    const result = await extract(textPdf(), 'pdf', { onOcr });
    expect(result).toMatchObject({ method: 'text', pages: 1, truncated: false, notices: [] });
    expect(result.text).toBe(NOTE_LINES.join('\n'));
    expect(onOcr).not.toHaveBeenCalled();
  });

  it('merges the text of every page', async () => {
    const result = await extract(textPdf([NOTE_LINES.slice(0, 3), NOTE_LINES.slice(3)]), 'pdf');
    expect(result.pages).toBe(2);
    expect(result.text).toContain(NOTE_LINES[0]);
    expect(result.text).toContain(NOTE_LINES[5]);
  });

  it(
    'rasterises and OCRs a scanned PDF that has no text layer',
    async () => {
      const onOcr = vi.fn();
      const result = await extract(scannedPdf(), 'pdf', { onOcr });
      expect(result.method).toBe('ocr');
      expect(result.pages).toBe(1);
      expectNoteWords(result.text);
      expect(onOcr).toHaveBeenCalledTimes(1);
    },
    OCR_TIMEOUT,
  );

  it(
    'OCRs a PDF marked handwritten even when it has a text layer',
    async () => {
      const onOcr = vi.fn();
      const result = await extract(textPdf(), 'pdf', { handwritten: true, onOcr });
      expect(result.method).toBe('ocr');
      expectNoteWords(result.text);
      expect(onOcr).toHaveBeenCalledTimes(1);
    },
    OCR_TIMEOUT,
  );

  it(
    `reads at most ${MAX_OCR_PAGES} pages of a scan and says so`,
    async () => {
      const pages = Array.from({ length: MAX_OCR_PAGES + 1 }, (_, i) => [`Page number ${i + 1} of the scanned referral`]);
      const result = await extract(textPdf(pages), 'pdf', { handwritten: true });
      expect(result.pages).toBe(13);
      expect(result.text).toContain('Page number 12');
      expect(result.text).not.toContain('Page number 13');
      expect(result.notices).toEqual([`This scanned PDF has 13 pages; only the first ${MAX_OCR_PAGES} were read.`]);
    },
    OCR_TIMEOUT * 2,
  );

  it('stops between pages when the job is canceled', async () => {
    const controller = new AbortController();
    const reason = new Error('canceled by the user');
    const promise = extract(textPdf([['one'], ['two']]), 'pdf', { handwritten: true, signal: controller.signal, onOcr: () => controller.abort(reason) });
    await expect(promise).rejects.toBe(reason);
  });

  it('refuses a password-protected PDF with a clear message', async () => {
    const error = await appError(extract(encryptedPdf(), 'pdf'));
    expect(error.userMessage).toBe('This PDF is password-protected. Remove the password and upload it again.');
  });

  it('refuses a damaged PDF', async () => {
    const error = await appError(extract(corruptPdf(), 'pdf'));
    expect(error.userMessage).toMatch(/^This PDF file is damaged/);
  });

  it(
    'refuses a PDF with no text at all, even after OCR',
    async () => {
      const error = await appError(extract(textPdf([[]]), 'pdf'));
      expect(error.userMessage).toMatch(/^No text could be found in this PDF/);
    },
    OCR_TIMEOUT,
  );
});

describe('Word and text', () => {
  it('reads the paragraphs of a .docx', async () => {
    const result = await extract(docx(), 'docx');
    expect(result).toMatchObject({ method: 'text', pages: null, truncated: false });
    expect(result.text.split(/\n+/)).toEqual(NOTE_LINES);
  });

  it('refuses a damaged .docx and an empty one', async () => {
    expect((await appError(extract(utf8('PK\u0003\u0004 not really a zip'), 'docx'))).userMessage).toMatch(/^This Word file is damaged/);
    expect((await appError(extract(docx([]), 'docx'))).userMessage).toBe('This Word document contains no text.');
  });

  it('decodes UTF-8 text and drops the byte-order mark', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('Café: naïve patient\r\nline two')]);
    const result = await extract(bytes, 'txt');
    expect(result.text).toBe('Café: naïve patient\nline two');
  });

  it('falls back to Latin-1 when the bytes are not UTF-8', async () => {
    const result = await extract(new Uint8Array(Buffer.from('Caf\u00e9 au lait, 37\u00b0C', 'latin1')), 'txt');
    expect(result.text).toBe('Café au lait, 37°C');
  });

  it('refuses an empty or blank text file', async () => {
    expect((await appError(extract(new Uint8Array(), 'txt'))).userMessage).toBe('This text file is empty.');
    expect((await appError(extract(utf8('  \n\n\t '), 'txt'))).userMessage).toBe('This text file is empty.');
  });
});

describe('images', () => {
  it.each([
    ['png', noteImage()],
    ['jpeg', noteImage(NOTE_LINES, { format: 'jpeg' })],
    ['webp', noteImage(NOTE_LINES, { format: 'webp' })],
    ['tiff', noteTiff()],
  ] as const)(
    'OCRs a %s photo of a typed note',
    async (kind, bytes) => {
      const onOcr = vi.fn();
      const result = await extract(bytes, kind, { onOcr });
      expect(result).toMatchObject({ method: 'ocr', pages: 1 });
      expectNoteWords(result.text);
      expect(onOcr).toHaveBeenCalledTimes(1);
    },
    OCR_TIMEOUT,
  );

  it(
    'refuses an image without any text',
    async () => {
      const error = await appError(extract(noteImage([]), 'png'));
      expect(error.userMessage).toMatch(/^No text could be read from this image/);
    },
    OCR_TIMEOUT,
  );

  it('refuses an image that is not one', async () => {
    const error = await appError(extract(utf8('not a png at all'), 'png'));
    expect(error.userMessage).toMatch(/^This PNG file is damaged/);
  });
});

describe('image size for OCR', () => {
  it('scales a large photo down to the OCR size and leaves a small image as it is', async () => {
    const { createCanvas, loadImage } = await import('@napi-rs/canvas');
    const big = createCanvas(6000, 1500).toBuffer('image/png');
    const fitted = await loadImage(Buffer.from(await fitForOcr(big)));
    expect([fitted.width, fitted.height]).toEqual([MAX_OCR_SIDE, 825]);
    const small = createCanvas(800, 600).toBuffer('image/jpeg');
    expect(await fitForOcr(small)).toBe(small);
  });
});

describe('other kinds and limits', () => {
  it.each(['webm', 'ogg', 'mp3', 'm4a', 'wav'] as const)('sends %s audio to transcription instead', async (kind) => {
    const error = await appError(extract(new Uint8Array([1, 2, 3]), kind));
    expect(error.userMessage).toMatch(/^Audio recordings are transcribed/);
  });

  it('cuts long text at a word boundary and says how much was analysed', async () => {
    const words = Array.from({ length: 5000 }, (_, i) => `word${i}`).join(' ');
    const result = await extract(utf8(words), 'txt', { maxChars: 16_000 });
    expect(result.truncated).toBe(true);
    expect(result.originalLength).toBe(words.length);
    expect(result.text.length).toBeLessThanOrEqual(16_000);
    expect(words.startsWith(`${result.text} `)).toBe(true);
    expect(result.notices).toEqual([`The note was ${words.length.toLocaleString('en-US')} characters long; only the first 16,000 were analysed.`]);
  });

  it('prepares pasted text like a file, marked as pasted', () => {
    const text = `${'Patient seen today. '.repeat(1170)}End.`;
    const result = preparePastedText(`  ${text}\r\n`, 10_000);
    expect(result).toMatchObject({ method: 'pasted', pages: null, truncated: true, originalLength: text.length });
    expect(result.notices).toEqual([`The note was ${text.length.toLocaleString('en-US')} characters long; only the first 10,000 were analysed.`]);
    expect(result.text.endsWith('today.')).toBe(true);

    expect(preparePastedText('Short note.', 10_000)).toEqual({ text: 'Short note.', method: 'pasted', pages: null, truncated: false, originalLength: 11, notices: [] });
  });
});
