'use server';

import { headers } from 'next/headers';
import { signUp } from '@/lib/auth/sign-up';
import { db } from '@/lib/db/client';
import { requestContextFrom } from '@/lib/http/request-context';
import { enforceAuthRateLimit } from '@/lib/ratelimit/auth';
import { runAction, type ActionResult } from '@/lib/web/action';

export interface SignUpFields {
  name: string;
  email: string;
  password: string;
  clinicName: string;
}

export async function signUpAction(fields: SignUpFields): Promise<ActionResult<{ email: string }>> {
  return runAction('signUp', async () => {
    const request = requestContextFrom(await headers());
    // Counted before validation: malformed floods are limited too.
    await enforceAuthRateLimit('signUp', { ip: request.ip, email: typeof fields?.email === 'string' ? fields.email : null });
    await signUp(db(), fields, request);
    return { email: fields.email.trim().toLowerCase() };
  });
}
