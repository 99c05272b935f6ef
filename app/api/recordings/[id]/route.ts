// Discard an unfinished recording of the signed-in member: its chunks are deleted.
import { NextResponse } from 'next/server';
import { db } from '@/lib/db/client';
import { route } from '@/lib/http/route';
import { requestContextFrom } from '@/lib/http/request-context';
import { discardRecording } from '@/lib/recordings';
import { requireMembership } from '@/lib/web/session';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const DELETE = route<{ id: string }>(async (request, { params }) => {
  const actor = await requireMembership();
  const recording = await discardRecording(db(), actor, params.id, { request: requestContextFrom(request.headers) });
  return NextResponse.json(recording);
});
