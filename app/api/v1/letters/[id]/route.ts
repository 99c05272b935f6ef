// GET /api/v1/letters/{id}: the letter's header, status and structured content.
import { apiRoute } from '@/lib/api/handler';
import { getLetterEndpoint } from '@/lib/api/endpoints';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute(getLetterEndpoint);
