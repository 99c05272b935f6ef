// Append chunk <index> of a recording: the raw request body (a few seconds of
// audio from MediaRecorder), streamed to storage. Chunks go in order; repeating
// a stored index (a retry after a lost response) is answered as already stored.
import { NextResponse } from 'next/server';
import { db } from '@/lib/db/client';
import { route } from '@/lib/http/route';
import { appendRecordingChunk } from '@/lib/recordings';
import { requireMembership } from '@/lib/web/session';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const PUT = route<{ id: string; index: string }>(async (request, { params }) => {
  const actor = await requireMembership();
  const declared = request.headers.get('content-length');
  const chunk = await appendRecordingChunk(db(), actor, params.id, params.index, {
    body: request.body,
    declaredLength: declared === null ? null : Number(declared),
  });
  return NextResponse.json(chunk, { status: chunk.duplicate ? 200 : 201 });
});
