// A job's status as JSON (no PHI): the polling fallback of the live stream.
import { NextResponse } from 'next/server';
import { db } from '@/lib/db/client';
import { route } from '@/lib/http/route';
import { getJobStatus } from '@/lib/jobs/queries';
import { requireMembership } from '@/lib/web/session';

export const GET = route<{ id: string }>(async (_request, { params }) => {
  const actor = await requireMembership(null);
  return NextResponse.json(await getJobStatus(db(), actor, params.id));
});
