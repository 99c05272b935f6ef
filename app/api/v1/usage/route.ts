// GET /api/v1/usage: the clinic's usage this period.
import { apiRoute } from '@/lib/api/handler';
import { usageEndpoint } from '@/lib/api/endpoints';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute(usageEndpoint);
