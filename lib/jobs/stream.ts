// The live progress of one job as server-sent events. Authorization is the
// caller's (getJobStatus answers not_found for another clinic's job); events are
// replayed after Last-Event-ID, then pushed as the shared LISTEN connection hears
// of them; the stream ends once a terminal status has been sent. No PHI: status,
// stage, progress and the member-safe error message only.
import type { Actor } from '@/lib/auth/authorize';
import { getConfig, requireDatabaseUrl } from '@/lib/config';
import type { Db } from '@/lib/db/client';
import type { JobStatus } from '@/lib/db/generated/client';
import { JOB_EVENTS_CHANNEL, TERMINAL_STATUSES } from './events';
import { sharedListener, type PgListener } from './listener';
import { getJobStatus } from './queries';

export const HEARTBEAT_MS = 15_000;
/** Without a LISTEN connection the stream falls back to reading this often. */
export const FALLBACK_POLL_MS = 1_000;

export interface StreamOptions {
  listener?: PgListener | null;
  heartbeatMs?: number;
}

export interface StageEventData {
  status: JobStatus;
  stage: string;
  progress: number;
  errorMessage: string | null;
}

function parseEventId(value: string | null | undefined): bigint | null {
  if (!value || !/^\d{1,19}$/.test(value)) return null;
  return BigInt(value);
}

function frame(id: string, data: StageEventData): string {
  return `id: ${id}\nevent: stage\ndata: ${JSON.stringify(data)}\n\n`;
}

export async function jobEventsResponse(db: Db, actor: Actor, jobId: string, request: Request, options: StreamOptions = {}): Promise<Response> {
  const status = await getJobStatus(db, actor, jobId);
  const url = new URL(request.url);
  let cursor = parseEventId(request.headers.get('last-event-id') ?? url.searchParams.get('lastEventId')) ?? 0n;
  const listener = options.listener === undefined ? sharedListener(requireDatabaseUrl(getConfig()), [JOB_EVENTS_CHANNEL]) : options.listener;
  const encoder = new TextEncoder();
  const organizationId = actor.organizationId;

  let closed = false;
  let unsubscribe: (() => void) | null = null;
  const timers: NodeJS.Timeout[] = [];
  let flushing: Promise<void> | null = null;
  let again = false;

  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const close = () => {
        if (closed) return;
        closed = true;
        unsubscribe?.();
        for (const t of timers) clearInterval(t);
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };

      const readNew = async () => {
        const rows = await db.$queryRaw<{ id: bigint; status: JobStatus; stage: string; progress: number; error_message: string | null }[]>`
          SELECT e.id, e.status, e.stage, e.progress, j.error_message
          FROM job_events e JOIN jobs j ON j.id = e.job_id
          WHERE e.job_id = ${jobId}::uuid AND e.organization_id = ${organizationId}::uuid AND e.id > ${cursor}
          ORDER BY e.id ASC LIMIT 500`;
        for (const row of rows) {
          if (closed) return;
          cursor = row.id;
          send(frame(row.id.toString(), { status: row.status, stage: row.stage, progress: row.progress, errorMessage: row.status === 'failed' ? row.error_message : null }));
          if (TERMINAL_STATUSES.includes(row.status)) return close();
        }
        if (rows.length === 500) await readNew();
      };
      // One read at a time; a notification during a read asks for one more.
      const flush = (): Promise<void> => {
        if (closed) return Promise.resolve();
        if (flushing) {
          again = true;
          return flushing;
        }
        flushing = (async () => {
          do {
            again = false;
            await readNew().catch(() => close());
          } while (again && !closed);
        })().finally(() => {
          flushing = null;
        });
        return flushing;
      };

      request.signal.addEventListener('abort', close, { once: true });
      if (request.signal.aborted) return close();
      send('retry: 2000\n\n');

      // Subscribed before the first read, so nothing committed in between is missed.
      unsubscribe = listener
        ? await listener.subscribe(JOB_EVENTS_CHANNEL, jobId, () => void flush(), () => void flush()).catch(() => null)
        : null;
      if (!unsubscribe) timers.push(setInterval(() => void flush(), FALLBACK_POLL_MS));
      await flush();
      if (closed) return;
      if (TERMINAL_STATUSES.includes(status.status)) {
        // Finished before this (re)connection and nothing newer to replay: say so once, so the
        // browser closes instead of reconnecting forever.
        send(frame(status.lastEventId ?? '0', { status: status.status, stage: status.stage, progress: status.progress, errorMessage: status.errorMessage }));
        return close();
      }
      timers.push(setInterval(() => send(': heartbeat\n\n'), options.heartbeatMs ?? HEARTBEAT_MS));
    },
    cancel() {
      closed = true;
      unsubscribe?.();
      for (const t of timers) clearInterval(t);
    },
  });

  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      // Proxies (nginx) must pass events through as they come.
      'x-accel-buffering': 'no',
    },
  });
}
