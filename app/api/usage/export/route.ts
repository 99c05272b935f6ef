// GET /api/usage/export?period=<ISO start> — one quota period's usage records as
// a CSV download (the current period without `period`), for any member of the
// clinic. The query holds only a period start, never PHI; the export is audited.
import { db } from '@/lib/db/client';
import { requestContextFrom } from '@/lib/http/request-context';
import { route } from '@/lib/http/route';
import { exportUsageCsv } from '@/lib/usage/export';
import { requireMembership } from '@/lib/web/session';

export const GET = route(async (request) => {
  const actor = await requireMembership(null);
  const period = new URL(request.url).searchParams.get('period');
  const { filename, csv } = await exportUsageCsv(db(), actor, period, requestContextFrom(request.headers));
  return new Response(csv, {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      // The slug is [a-z0-9-] only, so the name needs no RFC 5987 encoding.
      'content-disposition': `attachment; filename="${filename}"`,
      // Names and emails of members: never kept by the browser or a shared cache.
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});
