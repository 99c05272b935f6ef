// GET /api/audit/export?event=&actorUserId=&from=&to= — the clinic's audit log as
// a CSV download, for owners and admins. The query holds the /audit page's
// filters (no PHI can be in them); the export itself is audited.
import { exportAuditCsv } from '@/lib/audit/export';
import { filtersFromSearchParams } from '@/lib/audit/schemas';
import { db } from '@/lib/db/client';
import { requestContextFrom } from '@/lib/http/request-context';
import { route } from '@/lib/http/route';
import { requireMembership } from '@/lib/web/session';

export const GET = route(async (request) => {
  const actor = await requireMembership(null, ['owner', 'admin']);
  const query = filtersFromSearchParams(new URL(request.url).searchParams);
  const { filename, csv } = await exportAuditCsv(db(), actor, query, requestContextFrom(request.headers));
  return new Response(csv, {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      // The slug is [a-z0-9-] only, so the name needs no RFC 5987 encoding.
      'content-disposition': `attachment; filename="${filename}"`,
      // The log is sensitive: never kept by the browser or a shared cache.
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});
