// A small Upstash-REST-to-Redis bridge, so the real @upstash/redis and
// @upstash/ratelimit SDKs run against a plain Redis: in tests and benchmarks (on
// 127.0.0.1, against the Redis at 127.0.0.1:6379) and in the docker-compose stack
// (`scripts/upstash-bridge.ts`). Not for production: use Upstash there. It speaks the parts of the REST protocol the SDK uses:
//   POST /            one command as a JSON array          → { result } | 400 { error }
//   POST /pipeline    an array of commands                 → [{ result } | { error }, …]
//   POST /multi-exec  the same, inside MULTI … EXEC
// with `Authorization: Bearer <token>` and `Upstash-Encoding: base64` (strings in
// results base64-encoded, as Upstash does when the SDK asks).
//
// @upstash/ratelimit ≥ 2.1 starts its Lua scripts with `#!lua flags=allow-key-locking`,
// a flag of Upstash's server that plain Redis 7 rejects ("Unexpected flag in script
// shebang"). The bridge drops that flag (and the shebang line when it was the only
// one) and maps the SDK's EVALSHA hashes (of the original script) to the rewritten one.
//
// For failure tests the bridge can answer 500s ('fail') or never answer ('hang'), and
// stop() closes it so connections are refused.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RespClient, RespError, type RespValue } from './resp';

export type BridgeMode = 'ok' | 'fail' | 'hang';

export interface UpstashBridge {
  url: string;
  token: string;
  /** HTTP requests answered or held so far. */
  readonly requests: number;
  setMode(mode: BridgeMode): void;
  /** Deletes every Redis key starting with `prefix` (a test run's keys). */
  deleteKeys(prefix: string): Promise<number>;
  /** Direct access to Redis, for assertions on what the SDK stored. */
  redis: RespClient;
  stop(): Promise<void>;
}

export interface BridgeOptions {
  redisPort?: number;
  redisHost?: string;
  token?: string;
  /** Where the bridge listens: 127.0.0.1 on a free port unless given. */
  host?: string;
  port?: number;
}

const MAX_BODY_BYTES = 1024 * 1024;
const UNSUPPORTED_FLAGS = new Set(['allow-key-locking']);

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/** Removes script flags plain Redis rejects; returns the script unchanged when it has none. */
export function stripUnsupportedFlags(script: string): string {
  const shebang = /^#!lua(?:[ \t]+flags=([^\r\n]*))?[ \t]*\r?\n/.exec(script);
  if (!shebang) return script;
  const flags = (shebang[1] ?? '').split(',').map((f) => f.trim()).filter(Boolean);
  const kept = flags.filter((f) => !UNSUPPORTED_FLAGS.has(f));
  if (kept.length === flags.length) return script;
  const body = script.slice(shebang[0].length);
  return kept.length > 0 ? `#!lua flags=${kept.join(',')}\n${body}` : body;
}

type Command = string[];

function toCommand(value: unknown): Command | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  return value.map((arg) => (arg === null || arg === undefined ? '' : typeof arg === 'object' ? JSON.stringify(arg) : String(arg)));
}

function encodeResult(value: RespValue, base64: boolean): unknown {
  if (value === null || typeof value === 'number') return value;
  if (typeof value === 'string') return base64 ? Buffer.from(value).toString('base64') : value;
  if (Buffer.isBuffer(value)) return base64 ? value.toString('base64') : value.toString('utf8');
  if (Array.isArray(value)) return value.map((v) => encodeResult(v, base64));
  return null; // an error nested in an array: handled by the callers that expect one
}

const entry = (value: RespValue, base64: boolean) => (value instanceof RespError ? { error: value.message } : { result: encodeResult(value, base64) });

export async function startUpstashBridge(options: BridgeOptions = {}): Promise<UpstashBridge> {
  const token = options.token ?? randomBytes(16).toString('hex');
  const redis = await RespClient.connect(options.redisPort ?? 6379, options.redisHost ?? '127.0.0.1');
  // sha1(original script) → sha1(rewritten script), learnt from EVAL and SCRIPT LOAD.
  const rewrittenSha = new Map<string, string>();
  let mode: BridgeMode = 'ok';
  let requests = 0;
  const held = new Set<http.ServerResponse>();

  /** The command as Redis must see it, and the reply rewrite it needs (SCRIPT LOAD answers the original hash). */
  function rewrite(command: Command): { command: Command; reply?: (value: RespValue) => RespValue } {
    const name = (command[0] ?? '').toUpperCase();
    if ((name === 'EVAL' || name === 'EVAL_RO') && command[1] !== undefined) {
      const script = stripUnsupportedFlags(command[1]);
      if (script !== command[1]) rewrittenSha.set(sha1(command[1]), sha1(script));
      return { command: [command[0] ?? name, script, ...command.slice(2)] };
    }
    if ((name === 'EVALSHA' || name === 'EVALSHA_RO') && command[1] !== undefined) {
      const sha = rewrittenSha.get(command[1].toLowerCase()) ?? command[1];
      return { command: [command[0] ?? name, sha, ...command.slice(2)] };
    }
    if (name === 'SCRIPT' && (command[1] ?? '').toUpperCase() === 'LOAD' && command[2] !== undefined) {
      const original = command[2];
      const script = stripUnsupportedFlags(original);
      if (script === original) return { command };
      rewrittenSha.set(sha1(original), sha1(script));
      return { command: [command[0] ?? name, command[1] ?? 'LOAD', script], reply: (v) => (v instanceof RespError ? v : sha1(original)) };
    }
    return { command };
  }

  async function run(commands: Command[]): Promise<RespValue[]> {
    const rewritten = commands.map(rewrite);
    const replies = await redis.send(rewritten.map((r) => r.command));
    return replies.map((reply, i) => rewritten[i]?.reply?.(reply) ?? reply);
  }

  async function answer(path: string, body: unknown, base64: boolean): Promise<{ status: number; json: unknown }> {
    if (path === '/' || path === '') {
      const command = toCommand(body);
      if (!command) return { status: 400, json: { error: 'ERR the body must be a command array' } };
      const [reply = null] = await run([command]);
      return reply instanceof RespError ? { status: 400, json: { error: reply.message } } : { status: 200, json: { result: encodeResult(reply, base64) } };
    }
    if (path === '/pipeline' || path === '/multi-exec') {
      const commands = Array.isArray(body) ? body.map(toCommand) : [];
      if (commands.length === 0 || commands.some((c) => c === null)) {
        return { status: 400, json: { error: 'ERR the body must be an array of command arrays' } };
      }
      const list = commands as Command[];
      if (path === '/pipeline') return { status: 200, json: (await run(list)).map((r) => entry(r, base64)) };
      const replies = await run([['MULTI'], ...list, ['EXEC']]);
      const exec = replies[replies.length - 1] ?? null;
      if (exec instanceof RespError || !Array.isArray(exec)) {
        return { status: 400, json: { error: exec instanceof RespError ? exec.message : 'ERR transaction aborted' } };
      }
      return { status: 200, json: exec.map((r) => entry(r, base64)) };
    }
    return { status: 404, json: { error: 'ERR unknown endpoint' } };
  }

  const server = http.createServer((req, res) => {
    requests += 1;
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, { error: 'Unauthorized' });
    if (req.method !== 'POST') return send(405, { error: 'ERR only POST is supported by this bridge' });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (mode === 'hang') {
        held.add(res);
        res.on('close', () => held.delete(res));
        return;
      }
      if (mode === 'fail') return send(500, { error: 'ERR the bridge is failing on purpose' });
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(400, { error: 'ERR the body is not JSON' });
      }
      const path = new URL(req.url ?? '/', 'http://bridge').pathname;
      answer(path, body, req.headers['upstash-encoding'] === 'base64').then(
        ({ status, json }) => send(status, json),
        (error: unknown) => send(500, { error: `ERR ${error instanceof Error ? error.message : 'bridge failure'}` }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    get requests() {
      return requests;
    },
    setMode(next) {
      mode = next;
    },
    redis,
    async deleteKeys(prefix) {
      let cursor = '0';
      let deleted = 0;
      do {
        const reply = await redis.command('SCAN', cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (!Array.isArray(reply)) throw new Error('unexpected SCAN reply');
        const [next, keys] = reply;
        cursor = Buffer.isBuffer(next) ? next.toString() : String(next);
        const names = Array.isArray(keys) ? keys.filter((k): k is Buffer => Buffer.isBuffer(k)) : [];
        if (names.length > 0) {
          const removed = await redis.command('UNLINK', ...names);
          deleted += typeof removed === 'number' ? removed : 0;
        }
      } while (cursor !== '0');
      return deleted;
    },
    async stop() {
      for (const res of held) res.destroy();
      held.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await redis.close();
    },
  };
}
