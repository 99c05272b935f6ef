// Prometheus metrics of this web instance, for a scraper holding METRICS_TOKEN.
// Not found at all when no token is configured.
import { getConfig } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { route } from '@/lib/http/route';
import { metricsAccess } from '@/lib/observability/metrics-auth';
import { webMetricsText } from '@/lib/observability/web-metrics';

export const dynamic = 'force-dynamic';

export const GET = route(
  async (request) => {
    const access = metricsAccess(request.headers.get('authorization'), getConfig().observability.metricsToken);
    if (access === 'not_found') throw new AppError('not_found', { message: 'metrics are off (no METRICS_TOKEN)' });
    if (access === 'unauthorized') {
      throw new AppError('unauthenticated', {
        message: 'metrics token missing or wrong',
        userMessage: 'Send the metrics token as a bearer token.',
        headers: { 'www-authenticate': 'Bearer realm="metrics"' },
      });
    }
    const { contentType, body } = await webMetricsText();
    return new Response(body, { headers: { 'content-type': contentType } });
  },
  // A scraper sends no Origin or cookies; the bearer token is its proof.
  { sameOrigin: 'none' },
);
