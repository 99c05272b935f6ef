// A letter rendered to PDF (DOMAIN.md "PDF export"). The output is deterministic:
// the same input gives the same bytes, so the stored SHA-256 identifies a document.
// pdfkit takes its dates and its /ID (an MD5 of the info dictionary) from what we
// pass, fonts are read from disk, and font subset tags come from font ids, so
// nothing depends on the clock or on chance.
import 'server-only';
import { createHash } from 'node:crypto';
import { renderToBuffer } from '@react-pdf/renderer';
import { AppError } from '@/lib/errors';
import type { LetterContent } from '@/lib/letters/content';
import { letterFontCoverage } from './fonts';
import { toEmbeddableImage } from './images';
import { LetterDocument } from './letter-document';
import { printableInput } from './printable';

export interface LetterPdfInput {
  pageSize: 'letter' | 'a4';
  /** No "Maneiro" anywhere: text, footer, Creator and Producer. */
  whiteLabel: boolean;
  clinic: { name: string; address: string | null; phone: string | null; fax: string | null; logo: Uint8Array | null };
  /** `date` is an ISO date (YYYY-MM-DD), printed like "28 November 2026". */
  header: { to: string; from: string; date: string; re: string };
  patient: { name: string | null; dateOfBirth: string | null; identifiers: { kind: string; value: string }[] };
  /** Flags the letter URGENT beside the header (urgent referrals). */
  urgent: boolean;
  content: LetterContent;
  /** The signature image is printed above the provider's name at the end. */
  signature: { image: Uint8Array | null; name: string };
  /** The document's metadata title. */
  title: string;
  /** The PDF's creation and modification date (so the output is deterministic). */
  createdAt: Date;
}

export interface RenderedPdf {
  bytes: Buffer;
  pageCount: number;
  sha256: string;
}

/** The branding written into Creator/Producer: the clinic's own name when white-labelled. */
function producerName(input: LetterPdfInput): string {
  return input.whiteLabel ? input.clinic.name : 'Maneiro';
}

/**
 * Pages in a PDF written by pdfkit, from its page tree: pdfkit writes the /Pages
 * dictionary uncompressed, with the count of its pages.
 */
export function countPdfPages(bytes: Buffer): number {
  const match = /\/Type \/Pages\s*\/Count (\d+)/.exec(bytes.toString('latin1'));
  if (!match) throw new Error('PDF page tree not found');
  return Number(match[1]);
}

export async function renderLetterPdf(input: LetterPdfInput): Promise<RenderedPdf> {
  const [logo, signature] = await Promise.all([toEmbeddableImage(input.clinic.logo), toEmbeddableImage(input.signature.image)]);
  let bytes: Buffer;
  try {
    const printable = printableInput(input, await letterFontCoverage());
    bytes = await renderToBuffer(<LetterDocument input={printable} logo={logo} signature={signature} producer={producerName(input)} />);
  } catch (error) {
    // The cause is a layout or font error from the library; the letter's text is not in it.
    throw new AppError('internal', {
      message: 'letter PDF rendering failed',
      userMessage: 'The PDF could not be created. Please try again; if it keeps failing, contact support.',
      cause: error,
    });
  }
  return { bytes, pageCount: countPdfPages(bytes), sha256: createHash('sha256').update(bytes).digest('hex') };
}
