// Pauses and resumes the e2e server's background worker (tests/e2e/server.ts), to
// hold a job in the queue. Pauses nest across tests; always resume in a finally.
const CONTROL = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3100) + 1}`;

async function post(path: string): Promise<void> {
  const response = await fetch(`${CONTROL}${path}`, { method: 'POST' });
  if (!response.ok) throw new Error(`worker control ${path} answered ${response.status}`);
}

/** Stops the worker process (after its running jobs finish); queued jobs stay queued. */
export const pauseWorker = (): Promise<void> => post('/worker/pause');
export const resumeWorker = (): Promise<void> => post('/worker/resume');
