// The page Content-Security-Policy (lib/http/content-security-policy.ts), the fixed
// headers of next.config.js, and the bucket origin the policy lets recordings come from.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { getScriptNonceFromHeader } from 'next/dist/server/app-render/get-script-nonce-from-header';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, createNonce } from '@/lib/http/content-security-policy';
import { presignedUrlOrigin, type PresignedOriginSettings } from '@/lib/storage/presigned-origin';

/** The policy as a map of directive → sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('contentSecurityPolicy', () => {
  const nonce = 'AAECAwQFBgcICQoLDA0ODw==';

  it('is the strict policy for production over https', () => {
    expect(contentSecurityPolicy({ nonce, development: false, upgradeInsecureRequests: true })).toBe(
      "default-src 'self'; script-src 'self' 'nonce-AAECAwQFBgcICQoLDA0ODw==' 'strict-dynamic'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' blob: data:; media-src 'self' blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests",
    );
  });

  it('never lets inline or evaluated script run outside development', () => {
    const scripts = directives(contentSecurityPolicy({ nonce, development: false, upgradeInsecureRequests: false })).get('script-src');
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
    expect(directives(contentSecurityPolicy({ nonce, development: true, upgradeInsecureRequests: false })).get('script-src')).toContain("'unsafe-eval'");
  });

  it('upgrades insecure requests only when asked (an http deployment would break)', () => {
    expect(directives(contentSecurityPolicy({ nonce, development: false, upgradeInsecureRequests: false })).has('upgrade-insecure-requests')).toBe(false);
  });

  it('adds the bucket to media and connect sources only', () => {
    const policy = directives(
      contentSecurityPolicy({ nonce, development: false, upgradeInsecureRequests: true, mediaOrigins: ['https://uploads.s3.eu-west-1.amazonaws.com'] }),
    );
    expect(policy.get('media-src')).toEqual(["'self'", 'blob:', 'https://uploads.s3.eu-west-1.amazonaws.com']);
    expect(policy.get('connect-src')).toEqual(["'self'", 'https://uploads.s3.eu-west-1.amazonaws.com']);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('img-src')).toEqual(["'self'", 'blob:', 'data:']);
  });

  it('refuses a nonce that could break out of the header', () => {
    expect(() => contentSecurityPolicy({ nonce: "x'; script-src *", development: false, upgradeInsecureRequests: false })).toThrow(/base64/);
  });

  it('makes fresh nonces that Next.js finds in the policy', () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    expect(nonces.size).toBe(50);
    for (const made of nonces) {
      expect(Buffer.from(made, 'base64')).toHaveLength(16);
      expect(getScriptNonceFromHeader(contentSecurityPolicy({ nonce: made, development: false, upgradeInsecureRequests: true }))).toBe(made);
    }
  });
});

interface NextConfigModule {
  securityHeaders: (options: { production: boolean }) => { key: string; value: string }[];
  default: { headers: () => Promise<{ source: string; headers: { key: string; value: string }[] }[]> };
}

describe('next.config.js headers', () => {
  const load = async () => (await import(pathToFileURL(path.resolve('next.config.js')).href)) as NextConfigModule;

  it('puts the fixed security headers on every path', async () => {
    const config = await load();
    const rules = await config.default.headers();
    expect(rules).toHaveLength(1);
    expect(rules[0]?.source).toBe('/:path*');
    const names = rules[0]?.headers.map((h) => h.key) ?? [];
    expect(names).toEqual(expect.arrayContaining(['X-Content-Type-Options', 'Referrer-Policy', 'Permissions-Policy', 'X-Frame-Options', 'Cross-Origin-Opener-Policy']));
    // vitest runs with NODE_ENV=test: like `next dev`, no HSTS.
    expect(names).not.toContain('Strict-Transport-Security');
  });

  it('sends HSTS from production builds only', async () => {
    const { securityHeaders } = await load();
    const production = Object.fromEntries(securityHeaders({ production: true }).map((h) => [h.key, h.value]));
    expect(production['Strict-Transport-Security']).toBe('max-age=63072000; includeSubDomains; preload');
    expect(production['X-Content-Type-Options']).toBe('nosniff');
    expect(production['Referrer-Policy']).toBe('strict-origin-when-cross-origin');
    expect(production['X-Frame-Options']).toBe('DENY');
    expect(production['Cross-Origin-Opener-Policy']).toBe('same-origin');
    expect(securityHeaders({ production: false }).map((h) => h.key)).not.toContain('Strict-Transport-Security');
  });

  it('allows the microphone for our origin only and turns the other devices off', async () => {
    const { securityHeaders } = await load();
    const policy = securityHeaders({ production: true }).find((h) => h.key === 'Permissions-Policy')?.value ?? '';
    const features = new Map(policy.split(/,\s*/).map((entry) => entry.split('=') as [string, string]));
    expect(features.get('microphone')).toBe('(self)');
    for (const off of ['camera', 'geolocation', 'payment', 'usb', 'display-capture']) expect(features.get(off), off).toBe('()');
    expect([...features.values()].filter((allow) => allow !== '()')).toEqual(['(self)']);
  });
});

describe('presignedUrlOrigin', () => {
  it('is null with local storage', () => {
    expect(presignedUrlOrigin({ bucket: undefined, region: 'us-east-1', endpoint: undefined, forcePathStyle: false })).toBeNull();
  });

  // Checked against the SDK's own presigner (offline: signing needs no network), so the
  // policy allows exactly the host that /api/uploads/{id} redirects to.
  const cases: PresignedOriginSettings[] = [
    { bucket: 'maneiro-uploads', region: 'us-east-1', endpoint: undefined, forcePathStyle: false },
    { bucket: 'maneiro-uploads', region: 'eu-west-1', endpoint: undefined, forcePathStyle: false },
    { bucket: 'maneiro-uploads', region: 'eu-west-1', endpoint: undefined, forcePathStyle: true },
    { bucket: 'maneiro.uploads', region: 'us-east-1', endpoint: undefined, forcePathStyle: false },
    { bucket: 'ab', region: 'us-east-1', endpoint: undefined, forcePathStyle: false },
    { bucket: 'maneiro-uploads', region: 'us-east-1', endpoint: 'http://minio:9000', forcePathStyle: true },
    { bucket: 'maneiro-uploads', region: 'us-east-1', endpoint: 'http://minio:9000', forcePathStyle: false },
    { bucket: 'maneiro-uploads', region: 'us-east-1', endpoint: 'http://127.0.0.1:9000', forcePathStyle: false },
    { bucket: 'maneiro-uploads', region: 'us-east-1', endpoint: 'https://storage.example.com', forcePathStyle: false },
    { bucket: 'maneiro.uploads', region: 'us-east-1', endpoint: 'http://storage.example.com:9000', forcePathStyle: false },
  ];
  for (const settings of cases) {
    it(`matches the SDK for ${JSON.stringify(settings)}`, async () => {
      const client = new S3Client({
        region: settings.region,
        credentials: { accessKeyId: 'AKIAEXAMPLEEXAMPLE', secretAccessKey: 'example-secret' },
        ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
        forcePathStyle: settings.forcePathStyle,
      });
      const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: settings.bucket, Key: 'org/uploads/file.webm' }), { expiresIn: 60 });
      expect(presignedUrlOrigin(settings)).toBe(new URL(url).origin);
    });
  }
});
