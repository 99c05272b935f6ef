import { describe, expect, it } from 'vitest';
import { clientIpFrom, normalizeIp } from '@/lib/http/client-ip';

const xff = (value: string) => new Headers({ 'x-forwarded-for': value });

describe('client IP behind trusted proxies', () => {
  it('takes the Nth entry from the right, so entries a client adds on the left change nothing', () => {
    expect(clientIpFrom(xff('203.0.113.7'), { trustedProxyHops: 1 })).toBe('203.0.113.7');
    expect(clientIpFrom(xff('1.1.1.1, 2.2.2.2, 203.0.113.7'), { trustedProxyHops: 1 })).toBe('203.0.113.7');
    // A CDN appended the client, the load balancer appended the CDN.
    expect(clientIpFrom(xff('6.6.6.6, 203.0.113.7, 198.51.100.1'), { trustedProxyHops: 2 })).toBe('203.0.113.7');
    // Multiple header lines are one list, in order.
    const lines = new Headers();
    lines.append('x-forwarded-for', '6.6.6.6');
    lines.append('x-forwarded-for', '203.0.113.7');
    expect(clientIpFrom(lines, { trustedProxyHops: 1 })).toBe('203.0.113.7');
  });

  it('knows nothing when the request did not pass every trusted proxy', () => {
    expect(clientIpFrom(new Headers(), { trustedProxyHops: 1 })).toBeNull();
    expect(clientIpFrom(xff('203.0.113.7'), { trustedProxyHops: 2 })).toBeNull();
    expect(clientIpFrom(xff('1.1.1.1, not-an-address'), { trustedProxyHops: 1 })).toBeNull();
  });

  it('trusts no header without proxies: only a socket address the caller owns', () => {
    expect(clientIpFrom(xff('203.0.113.7'), { trustedProxyHops: 0 })).toBeNull();
    expect(clientIpFrom(new Headers({ 'x-real-ip': '203.0.113.7' }), { trustedProxyHops: 0 })).toBeNull();
    expect(clientIpFrom(xff('6.6.6.6'), { trustedProxyHops: 0, remoteAddress: '::ffff:192.0.2.10' })).toBe('192.0.2.10');
  });

  it('normalizes what proxies write and refuses the rest', () => {
    expect(normalizeIp(' 203.0.113.7 ')).toBe('203.0.113.7');
    expect(normalizeIp('203.0.113.7:51234')).toBe('203.0.113.7');
    expect(normalizeIp('[2001:DB8::1]:443')).toBe('2001:db8::1');
    expect(normalizeIp('fe80::1%eth0')).toBe('fe80::1');
    expect(normalizeIp('::ffff:198.51.100.4')).toBe('198.51.100.4');
    for (const bad of ['', 'unknown', '<script>', '999.1.1.1', '1.2.3', 'x'.repeat(100)]) expect(normalizeIp(bad)).toBeNull();
  });
});
