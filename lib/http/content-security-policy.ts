// The Content-Security-Policy of every page, built per request by proxy.ts. Scripts
// run only with this request's nonce (Next.js puts it on its own scripts when it
// finds the policy on the request) or when loaded by such a script
// ('strict-dynamic'), so injected markup cannot run code. No imports: proxy.ts
// and the unit tests use it as is.

/** The request header that carries the nonce to server components (Next's documented name). */
export const NONCE_HEADER = 'x-nonce';

export interface ContentSecurityPolicyOptions {
  /** Fresh per request, from createNonce(). */
  nonce: string;
  /** `next dev`: React's dev tooling evaluates code (server error stacks in the browser). */
  development: boolean;
  /** When the app is served over https: any http:// URL left in a page is fetched over https. */
  upgradeInsecureRequests: boolean;
  /**
   * Origins the browser may load recordings from besides ours: the S3 bucket that
   * /api/uploads/{id} redirects to (the transcript player). Empty with local storage.
   */
  mediaOrigins?: readonly string[];
}

/** 128 random bits, base64: unguessable, and in the character set Next's nonce parser accepts. */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export function contentSecurityPolicy({ nonce, development, upgradeInsecureRequests, mediaOrigins = [] }: ContentSecurityPolicyOptions): string {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(nonce)) throw new Error('a CSP nonce must be base64');
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    // 'self' is ignored next to 'strict-dynamic' by browsers that know it; it stays for those that do not.
    ['script-src', "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(development ? ["'unsafe-eval'"] : [])],
    // Style attributes (Radix positioning, chart sizes) cannot carry a nonce, and a
    // nonce here would make browsers ignore 'unsafe-inline'. Styles cannot run code.
    ['style-src', "'self'", "'unsafe-inline'"],
    // blob: previews a logo before upload; data: small inline icons.
    ['img-src', "'self'", 'blob:', 'data:'],
    // The transcript player plays a recording from a blob: URL, or straight from the bucket.
    ['media-src', "'self'", 'blob:', ...mediaOrigins],
    // The player first fetches the recording (following the redirect to the bucket) to play it from memory.
    ['connect-src', "'self'", ...mediaOrigins],
    ['font-src', "'self'"],
    ['object-src', "'none'"],
    ['base-uri', "'self'"],
    // Stripe's pages are reached by a script navigation after a server action, not by a form post.
    ['form-action', "'self'"],
    ['frame-ancestors', "'none'"],
  ];
  if (upgradeInsecureRequests) directives.push(['upgrade-insecure-requests']);
  return directives.map((parts) => parts.join(' ')).join('; ');
}
