// GET /api/v1/openapi.json: the API's OpenAPI 3.1 document (public), generated from the handlers' zod schemas.
import { buildOpenApiDocument } from '@/lib/api/openapi';
import { getConfig } from '@/lib/config';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export function GET(): Response {
  const document = buildOpenApiDocument({ serverUrl: getConfig().app.url });
  return new Response(JSON.stringify(document, null, 2), {
    headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' },
  });
}
