// The ids every log line of a unit of work carries: the request id while a route
// handler runs, the job id (and the id of the request that created the job) while
// the worker runs a job. Kept in AsyncLocalStorage and added to each line by the
// logger's mixin (lib/logger.ts), so no handler has to thread them through.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface LogContext {
  requestId?: string;
  jobId?: string;
  queue?: string;
}

const KEY = Symbol.for('maneiro.logContext');

function storage(): AsyncLocalStorage<LogContext> {
  // One store per process, whichever bundle (route handler, instrumentation) asks.
  const g = globalThis as typeof globalThis & { [KEY]?: AsyncLocalStorage<LogContext> };
  g[KEY] ??= new AsyncLocalStorage<LogContext>();
  return g[KEY];
}

/** Runs `fn` with `context` added to the current one (inner values win). */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  return storage().run({ ...storage().getStore(), ...context }, fn);
}

export function currentLogContext(): LogContext {
  return storage().getStore() ?? {};
}

/**
 * The queue payload of a new job: its id, and the id of the request that created
 * it when there is one (an id, never content), so the worker's lines name both.
 */
export function jobPayloadFor(jobId: string): { jobId: string; requestId?: string } {
  const { requestId } = currentLogContext();
  return requestId ? { jobId, requestId } : { jobId };
}

const ID = /^[\w.:-]{1,128}$/;

/** The log context of a queue job from its payload; malformed values are left out. */
export function jobLogContext(queue: string, bossJobId: string, data: unknown): LogContext {
  const { jobId, requestId } = (data ?? {}) as { jobId?: unknown; requestId?: unknown };
  return {
    queue,
    jobId: typeof jobId === 'string' && ID.test(jobId) ? jobId : bossJobId,
    ...(typeof requestId === 'string' && ID.test(requestId) ? { requestId } : {}),
  };
}
