// PHI and secret scrubbing for Sentry events (beforeSend / beforeSendTransaction).
// Sentry is an outside processor: nothing that identifies a patient or a user, and no
// credential, may leave in an event. The scrubber is pure (it returns a copy) so it
// can be tested without a Sentry client, and it is deliberately over-eager: a
// redacted breadcrumb costs a little debugging; a leaked note is a breach.
import type { Event } from '@sentry/core';

export const REDACTED = '[redacted]';

/** Request headers that carry credentials or identify the client. */
const SENSITIVE_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-auth-token',
  'x-csrf-token',
  'stripe-signature',
  'x-forwarded-for',
  'x-real-ip',
  'forwarded',
]);

/** Keys whose string values are clinical or personal free text (compared case-insensitively). */
const PHI_KEYS = new Set(['note', 'notes', 'text', 'inputtext', 'extractedtext', 'transcript', 'content', 'title', 'name', 'to', 'from', 'subject', 'email']);
const isPhiKey = (key: string): boolean => {
  const lower = key.toLowerCase();
  return PHI_KEYS.has(lower) || lower.startsWith('patient');
};

/**
 * Contexts the SDK fills with facts about the process (`runtime.name` is "node",
 * `os.name` "Linux"): their `name` keys are not PHI. Their strings are still pattern-scrubbed.
 */
const SDK_CONTEXTS = new Set(['os', 'runtime', 'device', 'app', 'culture', 'cloud_resource']);

/** Secrets and identifiers found anywhere in a string; each match becomes REDACTED. */
const PATTERNS: RegExp[] = [
  // Authorization header values that were copied into a message or a breadcrumb (first,
  // so that the scheme goes with the token).
  /\b(?:Bearer|Basic)\s+[\w.~+/=-]+/gi,
  // JSON Web Tokens (header.payload.signature, base64url; the signature may be empty).
  /\beyJ[\w-]+\.[\w-]+\.[\w-]*/g,
  // Maneiro API keys, Stripe webhook secrets and Stripe secret/restricted keys.
  /\bmk_live_[\w-]+/g,
  /\bwhsec_[\w+/=-]+/g,
  /\b(?:sk|rk)_(?:live|test)_\w+/g,
  // Email addresses.
  /[\w.%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g,
];
/** A URL query string (search terms, tokens, emails in links): everything after `?` goes. */
const QUERY_STRING = /\?[^\s#"'<>]*=[^\s#"'<>]*/g;

export function scrubString(value: string): string {
  let out = value;
  for (const pattern of PATTERNS) out = out.replace(pattern, REDACTED);
  return out.replace(QUERY_STRING, `?${REDACTED}`);
}

/**
 * Copies any JSON-like value, pattern-scrubbing every string; under a PHI key every
 * string (at any depth below it) is replaced whole.
 */
function scrubValue(value: unknown, underPhiKey: boolean, depth = 0): unknown {
  if (typeof value === 'string') return underPhiKey && value !== '' ? REDACTED : scrubString(value);
  if (value === null || typeof value !== 'object') return value;
  // Sentry normalizes deeper data away anyway; a cycle or a huge graph must not hang the send.
  if (depth > 12) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, underPhiKey, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = scrubValue(inner, underPhiKey || isPhiKey(key), depth + 1);
  }
  return out;
}

function scrubRecord<T>(value: T): T {
  return scrubValue(value, false) as T;
}

function scrubContexts(contexts: NonNullable<Event['contexts']>): NonNullable<Event['contexts']> {
  const out: NonNullable<Event['contexts']> = {};
  for (const [key, context] of Object.entries(contexts)) {
    if (context === undefined) continue;
    if (SDK_CONTEXTS.has(key)) {
      // Process facts: pattern-scrub only (their `name` is "node", not a person).
      const copy: Record<string, unknown> = {};
      for (const [field, inner] of Object.entries(context)) copy[field] = scrubValue(inner, false);
      out[key] = copy;
    } else {
      out[key] = scrubValue(context, isPhiKey(key)) as typeof context;
    }
  }
  return out;
}

function scrubRequest(request: NonNullable<Event['request']>): NonNullable<Event['request']> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (!SENSITIVE_HEADERS.has(name.toLowerCase())) headers[name] = scrubString(value);
  }
  // data (the body), cookies, query_string and env are left out on purpose.
  return {
    ...(request.url !== undefined && { url: stripQuery(request.url) }),
    ...(request.method !== undefined && { method: request.method }),
    ...(request.headers !== undefined && { headers }),
  };
}

function stripQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return scrubString(cut === -1 ? url : url.slice(0, cut));
}

function scrubException(exception: NonNullable<Event['exception']>): NonNullable<Event['exception']> {
  if (!exception.values) return exception;
  return {
    ...exception,
    values: exception.values.map((value) => ({
      ...value,
      ...(value.value !== undefined && { value: scrubString(value.value) }),
      // Frames (file, function, line) are what makes an error useful; local variables
      // captured with them may hold anything a handler was working on.
      ...(value.stacktrace?.frames && {
        stacktrace: {
          ...value.stacktrace,
          frames: value.stacktrace.frames.map((frame) => {
            const { vars: _vars, ...rest } = frame;
            return rest;
          }),
        },
      }),
    })),
  };
}

/**
 * Returns a copy of a Sentry event without request bodies, cookies, query strings,
 * credential headers, user fields other than `id`, secrets, emails, or free text
 * under PHI keys. Usable as both `beforeSend` and `beforeSendTransaction`.
 */
export function scrubEvent<E extends Event>(event: E): E {
  const out: E = { ...event };
  if (event.message !== undefined) out.message = scrubString(event.message);
  if (event.logentry) {
    out.logentry = {
      ...(event.logentry.message !== undefined && { message: scrubString(event.logentry.message) }),
      ...(event.logentry.params !== undefined && { params: scrubRecord(event.logentry.params) }),
    };
  }
  if (event.transaction !== undefined) out.transaction = stripQuery(event.transaction);
  if (event.exception) out.exception = scrubException(event.exception);
  if (event.breadcrumbs) {
    out.breadcrumbs = event.breadcrumbs.map((crumb) => ({
      ...crumb,
      ...(crumb.message !== undefined && { message: scrubString(crumb.message) }),
      ...(crumb.data !== undefined && { data: scrubRecord(crumb.data) }),
    }));
  }
  if (event.extra) out.extra = scrubRecord(event.extra);
  if (event.tags) out.tags = scrubRecord(event.tags);
  if (event.contexts) out.contexts = scrubContexts(event.contexts);
  if (event.request) out.request = scrubRequest(event.request);
  if (event.user) out.user = event.user.id !== undefined ? { id: event.user.id } : {};
  if (event.fingerprint) out.fingerprint = event.fingerprint.map(scrubString);
  if (event.spans) {
    out.spans = event.spans.map((span) => ({
      ...span,
      ...(span.description !== undefined && { description: scrubString(span.description) }),
      ...(span.data !== undefined && { data: scrubRecord(span.data) }),
    }));
  }
  return out;
}
