// Text out of an uploaded file (or pasted text), ready for analysis or triage:
// the rules of DOMAIN.md "Inputs". Failures are AppErrors whose userMessage says
// what is wrong with the file and what to do; nothing here logs or echoes content.
import type { FileKind } from '@/lib/db/generated/client';
import { extractDocx } from './docx';
import { extractionErrors } from './errors';
import { extractImage } from './image';
import { recognize } from './ocr';
import { extractPdf } from './pdf';
import { decodeText, normalizeText, truncate } from './text';

export { shutdownOcr } from './ocr';
export { isMeaningful } from './text';
export { MAX_OCR_PAGES } from './pdf';

export interface ExtractionResult {
  text: string;
  method: 'text' | 'ocr' | 'pasted';
  pages: number | null;
  truncated: boolean;
  originalLength: number;
  notices: string[];
}

export interface ExtractTextInput {
  bytes: Uint8Array;
  kind: FileKind;
  /** Forces OCR of a PDF even when it has a text layer. */
  handwritten: boolean;
  maxChars: number;
  signal?: AbortSignal;
  /** Called once, just before OCR starts (the job shows an "ocr" stage). */
  onOcr?: () => Promise<void> | void;
}

const EMPTY_MESSAGES: Partial<Record<FileKind, string>> = {
  pdf: 'No text could be found in this PDF, even after reading it as a scan. Check that it is the right file.',
  docx: 'This Word document contains no text.',
  txt: 'This text file is empty.',
};
const EMPTY_IMAGE_MESSAGE = 'No text could be read from this image. Upload a sharper, well-lit photo or scan of the page.';

function finish(text: string, method: ExtractionResult['method'], pages: number | null, maxChars: number, notices: string[] = []): ExtractionResult {
  const cut = truncate(text, maxChars);
  return { text: cut.text, method, pages, truncated: cut.truncated, originalLength: cut.originalLength, notices: [...notices, ...cut.notices] };
}

export async function extractText(input: ExtractTextInput): Promise<ExtractionResult> {
  const { bytes, kind, handwritten, maxChars, signal, onOcr } = input;
  signal?.throwIfAborted();
  let result: { text: string; method: 'text' | 'ocr'; pages: number | null; notices: string[] };
  switch (kind) {
    case 'pdf':
      result = await extractPdf(bytes, { handwritten, signal, onOcr, recognize });
      break;
    case 'docx':
      result = { text: await extractDocx(bytes), method: 'text', pages: null, notices: [] };
      break;
    case 'txt':
      result = { text: normalizeText(decodeText(bytes)), method: 'text', pages: null, notices: [] };
      break;
    case 'png':
    case 'jpeg':
    case 'webp':
    case 'tiff':
      await onOcr?.();
      result = { text: await extractImage(bytes, kind, recognize, signal), method: 'ocr', pages: 1, notices: [] };
      break;
    case 'webm':
    case 'ogg':
    case 'mp3':
    case 'm4a':
    case 'wav':
      throw extractionErrors.audio(kind);
    default:
      throw extractionErrors.unsupported(String(kind satisfies never));
  }
  signal?.throwIfAborted();
  if (result.text.trim().length === 0) throw extractionErrors.empty(kind, EMPTY_MESSAGES[kind] ?? EMPTY_IMAGE_MESSAGE);
  return finish(result.text, result.method, result.pages, maxChars, result.notices);
}

/** Text typed or pasted into the form: normalized and capped like an extracted file. */
export function preparePastedText(text: string, maxChars: number): ExtractionResult {
  return finish(normalizeText(text), 'pasted', null, maxChars);
}
