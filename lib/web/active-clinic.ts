import 'server-only';
import { cookies } from 'next/headers';
import { getConfig } from '@/lib/config';
import { ACTIVE_CLINIC_COOKIE } from './session';

/** Remembers the clinic a user acts in; every request still checks the membership. */
export async function setActiveClinicCookie(organizationId: string): Promise<void> {
  (await cookies()).set(ACTIVE_CLINIC_COOKIE, organizationId, {
    httpOnly: true,
    sameSite: 'lax',
    secure: getConfig().app.url.startsWith('https://'),
    path: '/',
    maxAge: 60 * 60 * 24 * 365,
  });
}
