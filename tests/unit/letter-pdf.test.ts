import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractText, getDocumentProxy, getResolvedPDFJS } from 'unpdf';
import { detectImageType } from '@/lib/storage/images';
import type { LetterBlock } from '@/lib/letters/content';
import { encodeOpaquePng, isPlainOpaquePng, toEmbeddableImage } from '@/lib/pdf/images';
import { renderLetterPdf, type RenderedPdf } from '@/lib/pdf/letter-pdf';
import { logoImage, sampleLetterInput, signatureImage } from '@/tests/fixtures/letter-pdf-input';

// pdf.js takes ownership of (detaches) the buffer it is given, so it always gets a copy.
const open = (pdf: RenderedPdf) => getDocumentProxy(new Uint8Array(pdf.bytes));

async function pageTexts(pdf: RenderedPdf): Promise<string[]> {
  const { text } = await extractText(await open(pdf), { mergePages: false });
  return text;
}

async function info(pdf: RenderedPdf): Promise<Record<string, unknown>> {
  const meta = await (await open(pdf)).getMetadata();
  return meta.info as Record<string, unknown>;
}

async function imagesDrawn(pdf: RenderedPdf): Promise<number> {
  const { OPS } = await getResolvedPDFJS();
  const doc = await open(pdf);
  let count = 0;
  for (let n = 1; n <= doc.numPages; n++) {
    const ops = await (await doc.getPage(n)).getOperatorList();
    count += ops.fnArray.filter((fn) => fn === OPS.paintImageXObject).length;
  }
  return count;
}

describe('renderLetterPdf: a two-page letter', () => {
  let pdf: RenderedPdf;
  let pages: string[];
  let text: string;

  beforeAll(async () => {
    pdf = await renderLetterPdf(
      sampleLetterInput({
        clinic: { ...sampleLetterInput().clinic, logo: logoImage('webp') },
        signature: { image: signatureImage(), name: 'Dr. Maria Souza, OD' },
      }),
    );
    pages = await pageTexts(pdf);
    text = pages.join('\n');
  });

  it('is a PDF of two pages whose count is reported', async () => {
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.pageCount).toBeGreaterThanOrEqual(2);
    expect((await open(pdf)).numPages).toBe(pdf.pageCount);
    expect(pdf.sha256).toBe(createHash('sha256').update(pdf.bytes).digest('hex'));
  });

  it('prints the letterhead, the header lines and the patient line as text', () => {
    for (const expected of [
      'Lakeside Eye Care',
      '12 Harbour Road, Kingston, ON K7L 1A1',
      'Phone 613-555-0101',
      'Fax 613-555-0102',
      'Dr. Alan Smith, Kingston General Hospital',
      'Dr. Maria Souza, OD',
      '28 November 2026',
      'Referral for cataract surgery assessment',
      'Patient: Jane Doe · DOB 12 Mar 1950 · MRN 123456',
    ]) {
      expect(text).toContain(expected);
    }
    for (const label of ['To', 'From', 'Date', 'Re']) expect(pages[0]).toMatch(new RegExp(`^${label} `, 'm'));
    // The letterhead is on the first page only.
    expect(pages[1]).not.toContain('12 Harbour Road');
    expect(text).not.toContain('URGENT');
  });

  it('prints the body: headings, list items, bold and italic runs, markup as text', () => {
    for (const expected of [
      'Examination findings',
      'Assessment',
      '• Visual acuity: 6/18 right, 6/7.5 left (best corrected)',
      '• Intraocular pressure: 16 mmHg in both eyes',
      '1. Phacoemulsification with intraocular lens, right eye.',
      '3. Please note: she takes tamsulosin (risk of floppy iris).',
      'Markup stays text: <script>alert(1)</script> & <b>not bold</b>.',
      'I would be grateful for your impressions and recommendations.',
    ]) {
      expect(text).toContain(expected);
    }
    // The sign-off, then the provider's name, end the letter.
    expect(pages.at(-1)?.trimEnd()).toMatch(/Sincerely,\s+Dr\. Maria Souza, OD$/);
  });

  it('numbers every page and carries the Maneiro footer', () => {
    pages.forEach((page, i) => {
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(page).toContain('Prepared with Maneiro');
    });
    expect(text).toContain('Page 1 of 2');
  });

  it('embeds Geist (regular, bold, italic, bold italic) and no standard font', () => {
    const raw = pdf.bytes.toString('latin1');
    expect(raw).toContain('/FontFile2');
    for (const face of ['Geist-Regular', 'Geist-Bold', 'Geist-Italic', 'Geist-BoldItalic']) expect(raw).toMatch(new RegExp(`/BaseFont /[A-Z]{6}\\+${face}\\b`));
    expect(raw).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/);
  });

  it('draws the WebP logo and the PNG signature', async () => {
    expect(await imagesDrawn(pdf)).toBe(2);
    expect(await imagesDrawn(await renderLetterPdf(sampleLetterInput()))).toBe(0);
  });

  it('writes the title, dates and Maneiro as creator and producer', async () => {
    expect(await info(pdf)).toMatchObject({ Title: 'Referral letter', Author: 'Dr. Maria Souza, OD', Creator: 'Maneiro', Producer: 'Maneiro', CreationDate: 'D:20261128100000Z' });
  });

  it('is a US Letter page (612 × 792 pt)', async () => {
    const viewport = (await (await open(pdf)).getPage(1)).getViewport({ scale: 1 });
    expect([viewport.width, viewport.height]).toEqual([612, 792]);
  });
});

describe('renderLetterPdf: options', () => {
  it('prints A4 pages (595 × 842 pt)', async () => {
    const pdf = await renderLetterPdf(sampleLetterInput({ pageSize: 'a4' }));
    const doc = await open(pdf);
    for (let n = 1; n <= doc.numPages; n++) {
      const viewport = (await doc.getPage(n)).getViewport({ scale: 1 });
      expect(viewport.width).toBeCloseTo(595.28, 1);
      expect(viewport.height).toBeCloseTo(841.89, 1);
    }
  });

  it('leaves Maneiro out of white-label letters: text, footer and metadata', async () => {
    const pdf = await renderLetterPdf(sampleLetterInput({ whiteLabel: true }));
    const pages = await pageTexts(pdf);
    expect(pages.join('\n')).not.toMatch(/maneiro/i);
    pages.forEach((page, i) => expect(page).toContain(`Page ${i + 1} of ${pages.length}`));
    const meta = await info(pdf);
    expect(meta).toMatchObject({ Creator: 'Lakeside Eye Care', Producer: 'Lakeside Eye Care', Title: 'Referral letter' });
    expect(JSON.stringify(meta)).not.toMatch(/maneiro/i);
    // What is not inside a compressed stream (the info dictionary, font names, the trailer).
    expect(pdf.bytes.toString('latin1')).not.toMatch(/maneiro/i);
  });

  it('flags urgent letters', async () => {
    const pages = await pageTexts(await renderLetterPdf(sampleLetterInput({ urgent: true })));
    expect(pages[0]).toContain('URGENT');
  });

  it('leaves out missing patient details and contact lines', async () => {
    const base = sampleLetterInput();
    const pdf = await renderLetterPdf(
      sampleLetterInput({
        clinic: { ...base.clinic, address: null, phone: null, fax: '  ' },
        patient: { name: 'Jane Doe', dateOfBirth: null, identifiers: [] },
      }),
    );
    const first = (await pageTexts(pdf))[0] ?? '';
    expect(first).toMatch(/^Patient: Jane Doe$/m);
    expect(first).not.toMatch(/Phone|Fax|DOB|MRN/);
  });

  it('prints each line of a multi-line address on its own line', async () => {
    const base = sampleLetterInput();
    const pdf = await renderLetterPdf(sampleLetterInput({ clinic: { ...base.clinic, address: '200 Lakeshore Drive\nSuite 4\nChicago, IL 60611' } }));
    const first = (await pageTexts(pdf))[0] ?? '';
    expect(first).toMatch(/^200 Lakeshore Drive$/m);
    expect(first).toMatch(/^Suite 4$/m);
    expect(first).toMatch(/^Chicago, IL 60611$/m);
  });

  it('renders a JPEG logo and skips an image it cannot read instead of failing', async () => {
    const base = sampleLetterInput();
    const jpeg = await renderLetterPdf(sampleLetterInput({ clinic: { ...base.clinic, logo: logoImage('jpeg') } }));
    expect(await imagesDrawn(jpeg)).toBe(1);
    const garbage = await renderLetterPdf(
      sampleLetterInput({ clinic: { ...base.clinic, logo: new Uint8Array([1, 2, 3, 4, 5]) }, signature: { image: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), name: 'Dr. Maria Souza, OD' } }),
    );
    expect(await imagesDrawn(garbage)).toBe(0);
    expect((await pageTexts(garbage)).join('\n')).toContain('Dr. Maria Souza, OD');
  });
});

describe('renderLetterPdf: characters and long words', () => {
  it('prints characters Geist lacks as "?" instead of a wrong character from a fallback font', async () => {
    const pdf = await renderLetterPdf(
      sampleLetterInput({
        patient: { name: 'Zoë 李 Παπαδόπουλος', dateOfBirth: '1950-03-12', identifiers: [] },
        content: { blocks: [{ type: 'paragraph', runs: [{ text: 'Accents São João ç ñ ß, Cyrillic Пациент, emoji 😀, check ✓, a\u2009thin space, zero\u200Bwidth, decomposed Sa\u0303o.' }] }] },
      }),
    );
    const text = (await pageTexts(pdf)).join('\n');
    // Geist has a few Greek letters (π, λ: maths symbols) but not the rest.
    expect(text).toMatch(/^Patient: Zoë \? [?πλ]{12} · DOB 12 Mar 1950$/m);
    expect(text).toContain('Accents São João ç ñ ß, Cyrillic Пациент, emoji ?, check ?, a thin space, zerowidth, decomposed São.');
    expect(pdf.bytes.toString('latin1')).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/);
  });

  it('breaks a word too long for a line instead of cutting it off at the margin', async () => {
    const url = `https://example.org/${'segment'.repeat(40)}/end`;
    const pdf = await renderLetterPdf(sampleLetterInput({ content: { blocks: [{ type: 'paragraph', runs: [{ text: `See ${url} for the report.` }] }] } }));
    const text = (await pageTexts(pdf)).join('\n');
    // Broken at line ends with a hyphen, every character is there.
    expect(text.replace(/-\n/g, '').replace(/\n/g, ' ')).toContain(`${url} for the report.`);
  });
});

describe('toEmbeddableImage', () => {
  async function pixel(png: Buffer, x: number, y: number): Promise<number[]> {
    const { createCanvas, loadImage } = await import('@napi-rs/canvas');
    const image = await loadImage(png);
    const canvas = createCanvas(image.width, image.height);
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    return [...context.getImageData(x, y, 1, 1).data];
  }

  it('passes JPEG and plain opaque PNG through', async () => {
    const jpeg = logoImage('jpeg');
    expect(await toEmbeddableImage(jpeg)).toEqual(Buffer.from(jpeg));
    const opaque = encodeOpaquePng(2, 1, new Uint8Array([255, 0, 0, 255, 0, 0, 255, 255]));
    expect(isPlainOpaquePng(opaque)).toBe(true);
    expect(await toEmbeddableImage(opaque)).toEqual(opaque);
    expect(await pixel(opaque, 1, 0)).toEqual([0, 0, 255, 255]);
  });

  it('draws PNG with transparency and WebP onto white as an opaque PNG', async () => {
    const rgba = Buffer.from(logoImage('png'));
    expect(isPlainOpaquePng(rgba)).toBe(false);
    for (const source of [rgba, logoImage('webp')]) {
      const converted = await toEmbeddableImage(source);
      expect(converted && detectImageType(converted)).toBe('png');
      expect(converted && isPlainOpaquePng(converted)).toBe(true);
      if (!converted) continue;
      // The transparent corner is white paper; the middle keeps the logo's colour (#0f766e,
      // give or take WebP's lossy encoding).
      expect(await pixel(converted, 1, 1)).toEqual([255, 255, 255, 255]);
      const [r = 0, g = 0, b = 0] = await pixel(converted, 60, 120);
      for (const [actual, expected] of [[r, 0x0f], [g, 0x76], [b, 0x6e]] as const) expect(Math.abs(actual - expected)).toBeLessThanOrEqual(3);
    }
  });

  it('drops what is not a raster image or cannot be read', async () => {
    expect(await toEmbeddableImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(await toEmbeddableImage(new Uint8Array([1, 2, 3, 4]))).toBeNull();
    const truncated = logoImage('webp').subarray(0, 40);
    expect(await toEmbeddableImage(truncated)).toBeNull();
    expect(await toEmbeddableImage(null)).toBeNull();
  });
});

describe('renderLetterPdf: determinism', () => {
  it('gives byte-identical output for the same input, and different output for different input', async () => {
    const input = () =>
      sampleLetterInput({
        clinic: { ...sampleLetterInput().clinic, logo: logoImage('webp') },
        signature: { image: signatureImage(), name: 'Dr. Maria Souza, OD' },
      });
    const first = await renderLetterPdf(input());
    const second = await renderLetterPdf(input());
    expect(second.sha256).toBe(first.sha256);
    expect(Buffer.compare(first.bytes, second.bytes)).toBe(0);

    const edited = input();
    edited.content = { blocks: [...edited.content.blocks.slice(0, -1), { type: 'paragraph', runs: [{ text: 'Kind regards,' }] }] };
    const editedSha = (await renderLetterPdf(edited)).sha256;
    expect(editedSha).not.toBe(first.sha256);
    expect((await renderLetterPdf({ ...input(), createdAt: new Date('2026-11-29T10:00:00Z') })).sha256).not.toBe(first.sha256);

    // Renders running at the same time (one server, several requests) give the same bytes,
    // also with two images that have transparency (pdfkit decodes those asynchronously).
    const together = await Promise.all([renderLetterPdf(input()), renderLetterPdf(edited), renderLetterPdf(input())]);
    expect(together.map((pdf) => pdf.sha256)).toEqual([first.sha256, editedSha, first.sha256]);
  });
});

describe('renderLetterPdf: long letters', () => {
  const SECTIONS = 8;
  /**
   * A letter of several pages; `shift` lines of text at the top move every page break
   * to a different point of a section, a heading or a list.
   */
  function longLetter(shift: number): LetterBlock[] {
    const blocks: LetterBlock[] = [{ type: 'paragraph', runs: [{ text: `Opening ${'line '.repeat(18 * shift + 1)}` }] }];
    for (let n = 1; n <= SECTIONS; n++) {
      blocks.push({ type: 'heading', runs: [{ text: `Heading number ${n}` }] });
      blocks.push({ type: 'paragraph', runs: [{ text: `Section ${n} starts. ${'Findings were stable and the plan is unchanged. '.repeat(12)}Section ${n} ends.` }] });
      if (n === 3) {
        blocks.push({ type: 'list', ordered: true, items: Array.from({ length: 14 }, (_, k) => [{ text: `Item ${k + 1} takes two lines. ${'More detail about this item. '.repeat(5)}` }]) });
      }
      if (n === 6) {
        // Items long enough to be split across pages themselves.
        blocks.push({ type: 'list', ordered: false, items: Array.from({ length: 3 }, (_, k) => [{ text: `Long item ${k + 1}. ${'A long list item that runs over many lines. '.repeat(16)}` }]) });
      }
    }
    return blocks;
  }

  let letters: string[][];
  beforeAll(async () => {
    letters = [];
    for (let shift = 0; shift < 12; shift++) {
      const pdf = await renderLetterPdf(sampleLetterInput({ content: { blocks: longLetter(shift) } }));
      const pages = await pageTexts(pdf);
      expect(pdf.pageCount).toBe(pages.length);
      letters.push(pages);
    }
  }, 120_000);

  it('flows onto as many pages as needed without losing text', () => {
    for (const pages of letters) {
      expect(pages.length).toBeGreaterThanOrEqual(3);
      const all = pages.join('\n');
      for (let n = 1; n <= SECTIONS; n++) expect(all).toContain(`Section ${n} ends.`);
      expect(all).toContain('14. Item 14 takes two lines.');
      pages.forEach((page, i) => expect(page).toContain(`Page ${i + 1} of ${pages.length}`));
      // Pages after the first carry a short continuation header.
      for (const page of pages.slice(1)) expect(page).toMatch(/^Lakeside Eye Care · Jane Doe$/m);
    }
  });

  it('never leaves a heading alone at the bottom of a page', () => {
    for (const pages of letters) {
      for (const page of pages.slice(0, -1)) {
        // Footer and continuation header come first in the page's text; the body's last line ends it.
        const last = page.split('\n').filter((line) => line.trim() !== '').at(-1);
        expect(last).not.toMatch(/^Heading number \d+$/);
      }
    }
  });

  it('never separates a list item from its number', () => {
    for (const pages of letters) {
      for (const line of pages.join('\n').split('\n')) expect(line.trim()).not.toMatch(/^(\d+\.|•)$/);
    }
  });
});
