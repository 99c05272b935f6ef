import type { RequestContext } from '@/lib/audit/record';
import { clientIpFrom } from './client-ip';

/**
 * Client IP and user agent for audit rows and throttling. The IP follows the
 * trusted-proxy rule of ./client-ip.ts (TRUSTED_PROXY_HOPS), never the leftmost
 * X-Forwarded-For entry, which the client writes itself.
 */
export function requestContextFrom(headers: Headers): RequestContext {
  return {
    ip: clientIpFrom(headers),
    userAgent: headers.get('user-agent')?.slice(0, 512) ?? null,
  };
}
