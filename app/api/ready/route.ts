// Readiness: 200 when the database answers and all migrations are applied, else 503.
import { NextResponse } from 'next/server';
import { getConfig } from '@/lib/config';
import { checkReadiness } from '@/lib/health/readiness';
import { route } from '@/lib/http/route';

export const GET = route(async () => {
  const result = await checkReadiness({ connectionString: getConfig().database.url });
  return result.ready
    ? NextResponse.json({ status: 'ok', checks: result.checks })
    : NextResponse.json({ status: 'unavailable', checks: result.checks }, { status: 503 });
});
