import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { startWorker, type RunningWorker } from '@/lib/jobs/worker';
import { createLogger } from '@/lib/logger';
import { createTestDatabase, type TestDatabase } from '../support/db';

const silent = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });

describe('background worker', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('processes each job once, retries only the job that failed, and stops gracefully', async () => {
    const seen: string[] = [];
    let failedOnce = false;
    let worker: RunningWorker | undefined;
    const done = new Promise<void>((resolve) => {
      const check = () => seen.length >= 4 && resolve();
      void startWorker({
        connectionString: database.url,
        concurrency: 2,
        batchSize: 2,
        pollSeconds: 0.5,
        log: silent,
        handlers: [
          {
            queue: 'test.echo',
            queueOptions: { retryLimit: 2, retryDelay: 0 },
            async handle(job) {
              const { n } = job.data as { n: number };
              if (n === 3 && !failedOnce) {
                failedOnce = true;
                throw new Error('transient');
              }
              seen.push(`job-${n}`);
              check();
            },
          },
        ],
      }).then(async (w) => {
        worker = w;
        for (const n of [1, 2, 3, 4]) await w.boss.send('test.echo', { n });
      });
    });
    await done;
    expect(seen.sort()).toEqual(['job-1', 'job-2', 'job-3', 'job-4']);
    expect(failedOnce).toBe(true);
    expect(worker?.queues).toEqual(['test.echo']);
    await worker?.stop();
    await worker?.stop(); // a second stop is harmless
  });
});
