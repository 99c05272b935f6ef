import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/auth/authorize';
import { db } from '@/lib/db/client';
import { toErrorBody } from '@/lib/errors';
import { writeJobEvent } from '@/lib/jobs/events';
import { closeSharedListeners } from '@/lib/jobs/listener';
import { jobEventsResponse } from '@/lib/jobs/stream';
import { submitAnalysisJob } from '@/lib/jobs/submit';
import { withAppDatabase } from '../support/app-database';
import { appError } from '../support/errors';
import { createStaffedClinic } from '../support/factories';
import { key, SAMPLE_NOTE } from '../support/jobs';

withAppDatabase();
afterAll(() => closeSharedListeners());

const noSend = { enqueue: async () => randomUUID() };

async function setup() {
  const { clinic, members } = await createStaffedClinic();
  const actor: Actor = { userId: members.staff.id, organizationId: clinic.id, role: 'staff' };
  const clinician: Actor = { userId: members.clinician.id, organizationId: clinic.id, role: 'clinician' };
  const { jobId } = await submitAnalysisJob(db(), clinician, { text: SAMPLE_NOTE, idempotencyKey: key() }, null, noSend);
  return { clinic, actor, jobId };
}

interface Frame {
  id?: string;
  event?: string;
  data?: { status: string; stage: string; progress: number; errorMessage: string | null };
}

/** Reads frames from an SSE body until `until` is satisfied or the stream ends. */
async function readFrames(response: Response, until: (frames: Frame[]) => boolean): Promise<{ frames: Frame[]; ended: boolean }> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const frames: Frame[] = [];
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { frames, ended: true };
    buffer += value;
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const frame: Frame = {};
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) frame.id = line.slice(4);
        else if (line.startsWith('event: ')) frame.event = line.slice(7);
        else if (line.startsWith('data: ')) frame.data = JSON.parse(line.slice(6)) as Frame['data'];
      }
      if (frame.event) frames.push(frame);
    }
    if (until(frames)) {
      await reader.cancel();
      return { frames, ended: false };
    }
  }
}

describe('live job events', () => {
  it('answers 404 for another clinic\'s job or a malformed id', async () => {
    const mine = await setup();
    const theirs = await setup();
    for (const id of [theirs.jobId, 'nope']) {
      const error = await appError(jobEventsResponse(db(), mine.actor, id, new Request(`http://x/api/jobs/${id}/events`)));
      expect(toErrorBody(error, 'r').status).toBe(404);
    }
  });

  it('replays after Last-Event-ID, pushes new events as they commit, and ends after a terminal one', async () => {
    const { clinic, actor, jobId } = await setup();
    const first = await db().jobEvent.findFirstOrThrow({ where: { jobId } });
    await writeJobEvent(db(), { jobId, organizationId: clinic.id, status: 'running', stage: 'extracting', progress: 10 });

    const abort = new AbortController();
    const response = await jobEventsResponse(
      db(),
      actor,
      jobId,
      new Request(`http://x/api/jobs/${jobId}/events`, { headers: { 'last-event-id': first.id.toString() }, signal: abort.signal }),
    );
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);

    const live = setTimeout(() => {
      void db().$transaction(async (tx) => {
        await tx.job.update({ where: { id: jobId }, data: { status: 'failed', errorMessage: 'The analysis service timed out.' } });
        await writeJobEvent(tx, { jobId, organizationId: clinic.id, status: 'running', stage: 'analyzing', progress: 35 });
        await writeJobEvent(tx, { jobId, organizationId: clinic.id, status: 'failed', stage: 'analyzing', progress: 35 });
      });
    }, 300);
    const { frames, ended } = await readFrames(response, () => false);
    clearTimeout(live);
    expect(ended).toBe(true);
    // The first (received) event was before Last-Event-ID: not replayed.
    expect(frames.map((f) => `${f.data?.status}:${f.data?.stage}`)).toEqual(['running:extracting', 'running:analyzing', 'failed:analyzing']);
    expect(frames.every((f) => f.event === 'stage' && /^\d+$/.test(f.id ?? ''))).toBe(true);
    expect(frames.at(-1)?.data).toEqual({ status: 'failed', stage: 'analyzing', progress: 35, errorMessage: 'The analysis service timed out.' });

    // Reconnecting after the end: the final state once, then the stream closes.
    const again = await jobEventsResponse(db(), actor, jobId, new Request(`http://x/api/jobs/${jobId}/events?lastEventId=${frames.at(-1)?.id}`));
    const replay = await readFrames(again, () => false);
    expect(replay.ended).toBe(true);
    expect(replay.frames.map((f) => f.data?.status)).toEqual(['failed']);
  });

  it('stops listening when the client goes away', async () => {
    const { actor, jobId } = await setup();
    const abort = new AbortController();
    const response = await jobEventsResponse(db(), actor, jobId, new Request(`http://x/api/jobs/${jobId}/events`, { signal: abort.signal }));
    const { sharedListener } = await import('@/lib/jobs/listener');
    const { requireDatabaseUrl } = await import('@/lib/config');
    let during = 0;
    const { frames } = await readFrames(response, (f) => {
      during = sharedListener(requireDatabaseUrl(), ['job_events']).subscriberCount;
      return f.length >= 1;
    });
    expect(during).toBe(1);
    expect(frames[0]?.data).toMatchObject({ status: 'queued', stage: 'received' });
    abort.abort();
    const listener = sharedListener(requireDatabaseUrl(), ['job_events']);
    await new Promise((r) => setTimeout(r, 50));
    expect(listener.subscriberCount).toBe(0);
  });
});
