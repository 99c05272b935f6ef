// GET /api/v1/letters/{id}/pdf: the current version as a PDF (rendered and stored on first download).
import { apiRoute } from '@/lib/api/handler';
import { letterPdfEndpoint } from '@/lib/api/endpoints';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute(letterPdfEndpoint);
