import { describe, expect, it } from 'vitest';
import { AppError, describeError, toErrorBody } from '@/lib/errors';

describe('errors', () => {
  it('maps an AppError to its status and user message', () => {
    const error = new AppError('not_found', { message: 'job 42 not in org 7' });
    expect(toErrorBody(error, 'req-1')).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'We could not find what you were looking for.', requestId: 'req-1' } },
    });
  });

  it('keeps field errors for validation failures', () => {
    const error = new AppError('validation_failed', { fieldErrors: { email: ['Enter a valid email address.'] } });
    expect(toErrorBody(error, 'r').body.error.fieldErrors).toEqual({ email: ['Enter a valid email address.'] });
  });

  it('turns unknown errors into a generic 500 that reveals nothing', () => {
    const { status, body } = toErrorBody(new Error('duplicate key value: maria.silva@example.com'), 'req-2');
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain('maria');
    expect(body.error).toEqual({ code: 'internal', message: expect.any(String), requestId: 'req-2' });
  });

  it('describes errors for logs without their message', () => {
    const error = Object.assign(new Error('Patient Maria Silva not found'), { code: 'P2025' });
    const described = describeError(error);
    expect(described.type).toBe('Error');
    expect(described.code).toBe('P2025');
    expect(JSON.stringify(described)).not.toContain('Maria');
    expect(described.frames).toContain('errors.test.ts');
  });
});
