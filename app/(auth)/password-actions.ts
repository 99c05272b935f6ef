'use server';

import { headers } from 'next/headers';
import { z } from 'zod';
import { confirmEmailChange } from '@/lib/auth/change-email';
import { confirmEmail } from '@/lib/auth/verify-email';
import { requestPasswordReset, resetPassword } from '@/lib/auth/password-reset';
import { emailField, newPasswordField } from '@/lib/auth/schemas';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { requestContextFrom } from '@/lib/http/request-context';
import { enforceAuthRateLimit } from '@/lib/ratelimit/auth';
import { runAction, type ActionResult } from '@/lib/web/action';

function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) (out[String(issue.path[0] ?? 'form')] ??= []).push(issue.message);
  return out;
}

export async function requestResetAction(input: { email: string }): Promise<ActionResult> {
  return runAction('requestPasswordReset', async () => {
    const parsed = z.object({ email: emailField }).safeParse(input);
    if (!parsed.success) throw new AppError('validation_failed', { fieldErrors: fieldErrorsOf(parsed.error) });
    const request = requestContextFrom(await headers());
    await enforceAuthRateLimit('passwordReset', { ip: request.ip, email: parsed.data.email });
    await requestPasswordReset(db(), parsed.data.email, request);
    return null;
  });
}

export async function resetPasswordAction(input: { token: string; password: string }): Promise<ActionResult> {
  return runAction('resetPassword', async () => {
    const parsed = z.object({ token: z.string().min(1).max(200), password: newPasswordField }).safeParse(input);
    if (!parsed.success) throw new AppError('validation_failed', { fieldErrors: fieldErrorsOf(parsed.error) });
    await resetPassword(db(), parsed.data.token, parsed.data.password, requestContextFrom(await headers()));
    return null;
  });
}

/**
 * Confirms an address from an emailed link: a sign-up verification, or the new
 * address of an email change (which also ends every session). A token is only
 * good for its own purpose, so trying one kind and then the other is safe; the
 * page's `change=1` flag is only a hint for its wording.
 */
export async function confirmEmailAction(input: { token: string }): Promise<ActionResult<{ verified: boolean; changed: boolean }>> {
  return runAction('confirmEmail', async () => {
    const token = z.string().min(1).max(200).safeParse(input?.token);
    if (!token.success) return { verified: false, changed: false };
    const request = requestContextFrom(await headers());
    if (await confirmEmail(db(), token.data, request)) return { verified: true, changed: false };
    const changed = await confirmEmailChange(db(), token.data, request);
    return { verified: changed, changed };
  });
}
