// Result type and error mapping for server actions. Actions parse their input,
// call a domain function and return this shape; unknown errors are logged (type,
// code, frames: never the message) and answered with a generic message.
import 'server-only';
import { randomUUID } from 'node:crypto';
import { AppError, describeError } from '@/lib/errors';
import { logger } from '@/lib/logger';

export type ActionResult<T = null> =
  | { ok: true; data: T }
  | { ok: false; error: string; fieldErrors?: Record<string, string[]> };

export async function runAction<T>(name: string, fn: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (error) {
    if (error instanceof AppError) {
      return { ok: false, error: error.userMessage, ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}) };
    }
    const reference = randomUUID();
    logger().error({ action: name, reference, err: describeError(error) }, 'server action failed');
    return { ok: false, error: `Something went wrong on our side. Please try again (reference ${reference.slice(0, 8)}).` };
  }
}
