// Finish a recording: its chunks become one audio Upload (answered as
// { uploadId }), ready to be transcribed.
import { NextResponse } from 'next/server';
import { db } from '@/lib/db/client';
import { route } from '@/lib/http/route';
import { requestContextFrom } from '@/lib/http/request-context';
import { completeRecording } from '@/lib/recordings';
import { requireMembership } from '@/lib/web/session';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route<{ id: string }>(async (request, { params }) => {
  const actor = await requireMembership();
  const completed = await completeRecording(db(), actor, params.id, { request: requestContextFrom(request.headers) });
  return NextResponse.json(completed);
});
