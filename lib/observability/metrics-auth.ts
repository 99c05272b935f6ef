// Who may read metrics: a caller presenting METRICS_TOKEN as a bearer token. With
// no token configured the endpoints do not exist (404), so a forgotten setting never
// leaves queue sizes and route names open to the internet.
import { createHash, timingSafeEqual } from 'node:crypto';

export type MetricsAccess = 'allowed' | 'not_found' | 'unauthorized';

export function metricsAccess(authorization: string | null | undefined, token: string | undefined): MetricsAccess {
  if (!token) return 'not_found';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) return 'unauthorized';
  // Digests have equal lengths, so the comparison takes the same time whatever was sent.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]), digest(token)) ? 'allowed' : 'unauthorized';
}
