// Upload one file (multipart field "file") into the active clinic. The body is
// streamed into storage as it arrives; see lib/uploads/receive-upload.ts.
import { NextResponse } from 'next/server';
import { db } from '@/lib/db/client';
import { route } from '@/lib/http/route';
import { requestContextFrom } from '@/lib/http/request-context';
import { receiveUpload } from '@/lib/uploads';
import { requireMembership } from '@/lib/web/session';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route(async (request) => {
  // Every member may upload: clinicians for analysis, front-desk staff for triage.
  const actor = await requireMembership();
  const { upload, duplicate } = await receiveUpload(db(), {
    actor,
    headers: request.headers,
    body: request.body,
    request: requestContextFrom(request.headers),
  });
  return NextResponse.json(
    { id: upload.id, kind: upload.kind, byteSize: upload.byteSize, duplicate, name: upload.originalName },
    { status: duplicate ? 200 : 201 },
  );
});
