// What a browser does against a running Maneiro, in plain fetch calls, for the
// tests and benchmarks that drive a production server over HTTP (./cluster.ts):
// sign in through next-auth's credentials endpoint, call a server action the way
// React does (the action id from the build's manifest, the arguments as JSON), and
// read a server-sent event stream.
import fs from 'node:fs';
import path from 'node:path';

export interface SignInResult {
  /** The Cookie header value of the new session, or null when refused. */
  cookie: string | null;
  /** next-auth's error code when refused (e.g. CredentialsSignin, throttled:120). */
  error: string | null;
}

function cookiePairs(response: Response): string[] {
  return response.headers.getSetCookie().map((line) => line.split(';')[0]!);
}

/** Signs in with email and password, as the login form does; `ip` is the client address the balancer reports. */
export async function signInOverHttp(base: string, email: string, password: string, ip: string): Promise<SignInResult> {
  const csrf = await fetch(`${base}/api/auth/csrf`, { headers: { 'x-forwarded-for': ip } });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: cookiePairs(csrf).join('; '),
      origin: base,
      'x-forwarded-for': ip,
    },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true', callbackUrl: `${base}/dashboard` }),
  });
  const session = cookiePairs(response).find((pair) => pair.startsWith('next-auth.session-token='));
  if (session && !session.endsWith('=')) return { cookie: session, error: null };
  const target = response.headers.get('location') ?? ((await response.json().catch(() => ({}))) as { url?: string }).url ?? '';
  return { cookie: null, error: new URL(target, base).searchParams.get('error') ?? `HTTP ${response.status}` };
}

interface ManifestEntry {
  exportedName?: string;
  filename?: string;
}

const actionIds = new Map<string, string>();

/** The id React sends for a server action, from the production build's manifest. */
export function serverActionId(file: string, exportedName: string, distDir = '.next'): string {
  const cacheKey = `${distDir}:${file}#${exportedName}`;
  const cached = actionIds.get(cacheKey);
  if (cached) return cached;
  const manifest = JSON.parse(fs.readFileSync(path.join(distDir, 'server', 'server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, ManifestEntry>;
  };
  const found = Object.entries(manifest.node).find(([, entry]) => entry.filename === file && entry.exportedName === exportedName);
  if (!found) throw new Error(`no server action ${exportedName} in ${file} in this build`);
  actionIds.set(cacheKey, found[0]);
  return found[0];
}

export interface ActionCall {
  base: string;
  /** The page the form is on (the action runs on the POST to it). */
  page: string;
  cookie: string;
  file: string;
  name: string;
  args: unknown[];
}

/** The answer of a server action, and which upstream answered when a balancer says so. */
export async function callServerAction<T>(call: ActionCall): Promise<{ status: number; result: T; upstream: string | null }> {
  const response = await fetch(`${call.base}${call.page}`, {
    method: 'POST',
    headers: {
      accept: 'text/x-component',
      'content-type': 'text/plain;charset=UTF-8',
      'next-action': serverActionId(call.file, call.name),
      origin: call.base,
      cookie: call.cookie,
    },
    // React encodes plain JSON arguments as JSON; only strings starting with "$" would need escaping.
    body: JSON.stringify(call.args),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`server action ${call.name} answered HTTP ${response.status}`);
  return { status: response.status, result: actionResult<T>(text), upstream: response.headers.get('x-upstream') };
}

/** The action's return value in a React Flight response: the row the root row's "a" points at. */
function actionResult<T>(flight: string): T {
  const rows = new Map<string, string>();
  for (const line of flight.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) rows.set(line.slice(0, colon), line.slice(colon + 1));
  }
  const root = JSON.parse(rows.get('0') ?? 'null') as { a?: unknown } | null;
  const pointer = root?.a;
  if (typeof pointer === 'string' && pointer.startsWith('$@')) {
    const row = rows.get(pointer.slice(2));
    if (row !== undefined) return JSON.parse(row) as T;
  }
  if (root && 'a' in root) return root.a as T;
  throw new Error('the server action response carried no result');
}

export interface ServerSentEvent {
  id: string | null;
  event: string;
  data: string;
}

/** Opens an event stream and hands each event to `onEvent` until it returns true (or the stream ends). */
export async function readEventStream(
  url: string,
  headers: Record<string, string>,
  onEvent: (event: ServerSentEvent) => boolean,
  signal?: AbortSignal,
): Promise<void> {
  const controller = new AbortController();
  signal?.addEventListener('abort', () => controller.abort(signal.reason));
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  if (response.status !== 200 || !response.body) throw new Error(`event stream answered HTTP ${response.status}`);
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: ServerSentEvent = { id: null, event: 'message', data: '' };
        for (const line of block.split('\n')) {
          if (line.startsWith('id: ')) event.id = line.slice(4);
          else if (line.startsWith('event: ')) event.event = line.slice(7);
          else if (line.startsWith('data: ')) event.data += line.slice(6);
        }
        if (block.startsWith(':')) continue;
        if (onEvent(event)) return;
      }
    }
  } finally {
    controller.abort();
    reader.releaseLock();
  }
}
