// Download a letter of the active clinic as a PDF: `?pdf=<id>` for a PDF on
// file (exactly what was sent), `?version=<n>` for a version, otherwise the
// current version (rendered and stored on first download). Authorization is in
// the data layer (clinic, and staff only for patient and insurance letters).
import { Readable } from 'node:stream';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { route } from '@/lib/http/route';
import { requestContextFrom } from '@/lib/http/request-context';
import { openLetterPdf } from '@/lib/letters/pdf';
import { getStorage } from '@/lib/storage';
import { requireMembership } from '@/lib/web/session';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

function versionParam(value: string | null): number | undefined {
  if (value === null) return undefined;
  if (!/^[1-9][0-9]{0,5}$/.test(value)) throw new AppError('bad_request', { message: 'malformed version', userMessage: 'The version must be a whole number, e.g. ?version=2.' });
  return Number(value);
}

// The first download of a version renders and stores it and marks the letter
// exported, so this GET gets the cross-site check too: a link on another site must
// not do that with the visitor's session.
export const GET = route<{ id: string }>(async (request, { params }) => {
  const actor = await requireMembership();
  const url = new URL(request.url);
  const download = await openLetterPdf(db(), getStorage(), actor, params.id, requestContextFrom(request.headers), {
    pdfId: url.searchParams.get('pdf') ?? undefined,
    version: versionParam(url.searchParams.get('version')),
  });
  return new Response(Readable.toWeb(download.stream) as ReadableStream<Uint8Array>, {
    headers: {
      'content-type': 'application/pdf',
      'content-length': String(download.byteSize),
      'content-disposition': download.contentDisposition,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
      etag: `"${download.sha256}"`,
    },
  });
}, { sameOrigin: 'all' });
