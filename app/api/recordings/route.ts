// Browser recordings of the signed-in member in the active clinic: start one
// (POST {contentType}) or list the unfinished ones (GET ?status=recording) to
// resume or discard. See lib/recordings.
import { NextResponse } from 'next/server';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { route } from '@/lib/http/route';
import { createRecording, listRecordings } from '@/lib/recordings';
import { requireMembership } from '@/lib/web/session';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route(async (request) => {
  const actor = await requireMembership();
  const input: unknown = await request.json().catch(() => {
    throw new AppError('bad_request', { message: 'body is not JSON', userMessage: 'Send the recording format as JSON.' });
  });
  const recording = await createRecording(db(), actor, input);
  return NextResponse.json(recording, { status: 201 });
});

export const GET = route(async (request) => {
  const actor = await requireMembership();
  const status = new URL(request.url).searchParams.get('status');
  return NextResponse.json({ recordings: await listRecordings(db(), actor, status) });
});
