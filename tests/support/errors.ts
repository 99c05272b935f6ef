import { expect } from 'vitest';
import { AppError } from '@/lib/errors';

/** The AppError a promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}
