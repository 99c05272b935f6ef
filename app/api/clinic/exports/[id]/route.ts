// Download a clinic data export (owners of the active clinic, until it expires):
// a redirect to a short-lived S3 URL, or the zip streamed from the local disk.
import { Readable } from 'node:stream';
import { NextResponse } from 'next/server';
import { db } from '@/lib/db/client';
import { openClinicExportDownload } from '@/lib/data-controls/export';
import { route } from '@/lib/http/route';
import { requestContextFrom } from '@/lib/http/request-context';
import { getStorage } from '@/lib/storage';
import { requireMembership } from '@/lib/web/session';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = route<{ id: string }>(async (request, { params }) => {
  const actor = await requireMembership();
  const download = await openClinicExportDownload(db(), getStorage(), actor, params.id, requestContextFrom(request.headers));
  if (download.type === 'redirect') return NextResponse.redirect(download.url, 302);
  const headers = new Headers({
    'content-type': 'application/zip',
    'content-disposition': `attachment; filename="${download.fileName}"`,
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, no-store',
  });
  if (download.byteSize !== null) headers.set('content-length', String(download.byteSize));
  return new Response(Readable.toWeb(download.stream) as ReadableStream<Uint8Array>, { headers });
});
