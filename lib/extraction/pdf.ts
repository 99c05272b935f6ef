// PDF text: the document's own text layer when it is meaningful, otherwise (or
// when the clinician says it is handwritten) each page rendered to an image and
// OCR'd. Scans carry no text layer, or only a few stray characters.
import { extractText as extractPdfText, getDocumentProxy, renderPageAsImage } from 'unpdf';
import { extractionErrors } from './errors';
import { isMeaningful, normalizeText } from './text';

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

/** Pages rasterised for OCR at most (DOMAIN.md). */
export const MAX_OCR_PAGES = 12;
/** Rendered page width in pixels: about 250 dpi for A4/Letter, enough for typed and clear handwritten notes. */
const OCR_PAGE_WIDTH_PX = 2100;
/** Pixel budget of one rendered page (≈ 1.5 A4 pages at that width), so a very tall or odd page cannot exhaust memory. */
const OCR_PAGE_MAX_PIXELS = 2100 * 2970 * 1.5;

export interface PdfExtraction {
  text: string;
  method: 'text' | 'ocr';
  pages: number;
  notices: string[];
}

export interface PdfOptions {
  handwritten: boolean;
  signal?: AbortSignal;
  onOcr?: () => Promise<void> | void;
  recognize: (image: Uint8Array) => Promise<string>;
}

async function openPdf(bytes: Uint8Array): Promise<PdfDocument> {
  try {
    // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
    return await getDocumentProxy(new Uint8Array(bytes), { stopAtErrors: false, verbosity: 0 });
  } catch (error) {
    const name = (error as { name?: unknown }).name;
    if (name === 'PasswordException') throw extractionErrors.encryptedPdf(error);
    throw extractionErrors.corrupt('pdf', 'PDF', error);
  }
}

async function ocrPages(pdf: PdfDocument, options: PdfOptions): Promise<{ text: string; notices: string[] }> {
  const pageCount = Math.min(pdf.numPages, MAX_OCR_PAGES);
  const texts: string[] = [];
  for (let pageNumber = 1; pageNumber <= pageCount; pageNumber++) {
    options.signal?.throwIfAborted();
    const page = await pdf.getPage(pageNumber);
    const { width, height } = page.getViewport({ scale: 1 });
    const scale = Math.min(4, Math.max(0.25, OCR_PAGE_WIDTH_PX / width), Math.sqrt(OCR_PAGE_MAX_PIXELS / (width * height)));
    const png = await renderPageAsImage(pdf, pageNumber, { canvasImport: () => import('@napi-rs/canvas'), scale });
    page.cleanup();
    options.signal?.throwIfAborted();
    texts.push(await options.recognize(new Uint8Array(png)));
  }
  const notices =
    pdf.numPages > MAX_OCR_PAGES
      ? [`This scanned PDF has ${pdf.numPages} pages; only the first ${MAX_OCR_PAGES} were read.`]
      : [];
  return { text: normalizeText(texts.join('\n\n')), notices };
}

export async function extractPdf(bytes: Uint8Array, options: PdfOptions): Promise<PdfExtraction> {
  const pdf = await openPdf(bytes);
  try {
    let ownText = '';
    if (!options.handwritten) {
      try {
        ownText = normalizeText((await extractPdfText(pdf, { mergePages: true })).text);
      } catch (error) {
        throw extractionErrors.corrupt('pdf', 'PDF', error);
      }
      if (isMeaningful(ownText)) return { text: ownText, method: 'text', pages: pdf.numPages, notices: [] };
    }
    options.signal?.throwIfAborted();
    await options.onOcr?.();
    const ocr = await ocrPages(pdf, options);
    // A short but real text layer beats OCR that found less (e.g. a one-line letter).
    if (ocr.text.length < ownText.length && !isMeaningful(ocr.text)) {
      return { text: ownText, method: 'text', pages: pdf.numPages, notices: [] };
    }
    return { text: ocr.text, method: 'ocr', pages: pdf.numPages, notices: ocr.notices };
  } finally {
    await pdf.loadingTask.destroy();
  }
}
