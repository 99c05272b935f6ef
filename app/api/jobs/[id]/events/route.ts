// Live progress of one job (server-sent events): see lib/jobs/stream.ts.
import { db } from '@/lib/db/client';
import { route } from '@/lib/http/route';
import { jobEventsResponse } from '@/lib/jobs/stream';
import { requireMembership } from '@/lib/web/session';

// A long-lived response: never cached, never prerendered.
export const dynamic = 'force-dynamic';

export const GET = route<{ id: string }>(async (request, { params }) => {
  const actor = await requireMembership(null);
  return jobEventsResponse(db(), actor, params.id, request);
});
