import type { RequestContext } from '@/lib/audit/record';

/**
 * Client IP and user agent for audit rows and throttling. The app runs behind a
 * load balancer that appends the client address to X-Forwarded-For; the first
 * entry is the client as that proxy saw it.
 */
export function requestContextFrom(headers: Headers): RequestContext {
  const forwarded = headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  const ip = forwarded || headers.get('x-real-ip')?.trim() || null;
  return {
    ip: ip && /^[0-9a-fA-F:.]{2,45}$/.test(ip) ? ip : null,
    userAgent: headers.get('user-agent')?.slice(0, 512) ?? null,
  };
}
