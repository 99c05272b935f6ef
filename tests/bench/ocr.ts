// OCR benchmark: pages per second through the offline tesseract worker for a
// typed clinic note page rendered at 200 dpi (US Letter, 1700×2200 px), as an
// image upload and as a one-page scanned PDF (render + OCR), plus the cost of
// starting the worker. One worker per process, as in production, so pages are
// read one at a time. Rates only: nothing here asserts a time.
// Standalone:  npx tsx tests/bench/ocr.ts
import { pathToFileURL } from 'node:url';
import { recognize, shutdownOcr } from '@/lib/extraction/ocr';
import { extractPdf } from '@/lib/extraction/pdf';
import { noteImage, scannedPdf } from '../fixtures/files/generate';

/** Measured time per shape, at least (whole pages). */
const SECONDS = 8;

const PAGE_LINES = [
  'Outpatient clinic letter - diabetes and endocrinology',
  'Seen today for review of type 2 diabetes diagnosed in 2019.',
  'Current medication: metformin 1 g twice daily, atorvastatin 20 mg.',
  'HbA1c 58 mmol/mol, down from 64 three months ago.',
  'Blood pressure 132/84, pulse 72 regular, BMI 29.',
  'Feet: pulses present, monofilament sensation intact.',
  'Eyes: retinal screening last year showed no retinopathy.',
  'Plan: continue metformin, add lifestyle advice and review diet.',
  'Repeat HbA1c, renal function and lipids in three months.',
  'Refer to the dietitian; podiatry review once a year.',
  'Safety net: seek help for chest pain or breathlessness.',
  'Letter copied to the patient and to the general practitioner.',
];

function rate(label: string, pages: number, seconds: number): void {
  console.log(`  ${label.padEnd(46)} ${(pages / seconds).toFixed(2).padStart(8)} pages/s  (${((seconds / pages) * 1000).toFixed(0)} ms a page, ${pages} pages)`);
}

async function measure(label: string, readPage: () => Promise<unknown>): Promise<void> {
  let pages = 0;
  const start = performance.now();
  // At least three pages, so one slow page does not make the whole figure.
  while ((performance.now() - start) / 1000 < SECONDS || pages < 3) {
    await readPage();
    pages++;
  }
  rate(label, pages, (performance.now() - start) / 1000);
}

export async function benchOcr(): Promise<void> {
  const image = noteImage(PAGE_LINES, { width: 1700, height: 2200, format: 'png' });
  const pdf = scannedPdf(PAGE_LINES);
  console.log(`OCR (tesseract.js, bundled English model, offline; one worker; a ${PAGE_LINES.length}-line typed note page)`);
  try {
    const coldStart = performance.now();
    const first = await recognize(image);
    console.log(`  first page including worker start-up               ${((performance.now() - coldStart) / 1000).toFixed(2).padStart(6)} s`);
    // A sanity check that the numbers are for real recognition, not an empty page.
    if (!first.includes('metformin')) throw new Error('OCR did not read the benchmark page');
    await measure('PNG page (image upload)', () => recognize(image));
    await measure('scanned PDF page (render at ~250 dpi, then OCR)', () => extractPdf(pdf, { handwritten: false, recognize }));
    console.log('');
  } finally {
    await shutdownOcr();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchOcr();
}
