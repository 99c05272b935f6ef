import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED_KEYS, REDACTION_CENSOR } from '@/lib/logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger({ level: 'info', destination, pretty: false }), lines };
}

const NOTE = 'Patient Maria Silva, 67, reports blurred vision in the left eye';

describe('logger', () => {
  it('writes JSON with level, time, message and bound fields', () => {
    const { log, lines } = capture();
    log.child({ requestId: 'req-12345678' }).info({ jobId: 'job-1' }, 'job queued');
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'job queued', requestId: 'req-12345678', jobId: 'job-1', service: 'maneiro' });
    expect(typeof lines[0]?.time).toBe('string');
  });

  it.each(REDACTED_KEYS.map((key) => [key]))('redacts %s at the top level and two levels down', (key) => {
    const { log, lines } = capture();
    log.info({ [key]: NOTE, a: { [key]: NOTE, b: { [key]: NOTE } } }, 'event');
    const line = JSON.stringify(lines[0]);
    expect(line).not.toContain('Maria');
    const entry = lines[0] as Record<string, Record<string, Record<string, unknown>>>;
    expect(entry[key]).toBe(REDACTION_CENSOR);
    expect(entry.a?.[key]).toBe(REDACTION_CENSOR);
    expect(entry.a?.b?.[key]).toBe(REDACTION_CENSOR);
  });

  it('redacts request headers that carry credentials', () => {
    const { log, lines } = capture();
    log.info({ req: { headers: { authorization: 'Bearer abc.def', cookie: 'session=xyz', 'x-api-key': 'mk_live_1' } } }, 'request');
    const line = JSON.stringify(lines[0]);
    expect(line).not.toContain('abc.def');
    expect(line).not.toContain('session=xyz');
    expect(line).not.toContain('mk_live_1');
  });

  it('keeps ids and counts', () => {
    const { log, lines } = capture();
    log.info({ organizationId: 'org_1', pages: 3, patient: { name: 'Maria' } }, 'ocr done');
    expect(lines[0]).toMatchObject({ organizationId: 'org_1', pages: 3, patient: REDACTION_CENSOR });
  });
});
