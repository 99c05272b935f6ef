// A page found the session revoked (signed out everywhere, password changed,
// removed from the clinic): clear the stale cookie so proxy.ts treats the visitor
// as signed out, then show the sign-in page with a notice. A GET only clears a
// session that is already dead: a link from another site to this address cannot
// sign a visitor out.
import { NextResponse } from 'next/server';
import { getConfig } from '@/lib/config';
import { getCurrentUser } from '@/lib/web/session';

export async function GET(request: Request): Promise<NextResponse> {
  if (await getCurrentUser()) {
    const response = NextResponse.redirect(new URL('/dashboard', getConfig().app.url), 303);
    response.headers.set('cache-control', 'no-store');
    return response;
  }
  const url = new URL('/login?reason=session-ended', getConfig().app.url);
  const response = NextResponse.redirect(url, 303);
  const cookieHeader = request.headers.get('cookie') ?? '';
  for (const part of cookieHeader.split(';')) {
    const name = part.split('=')[0]?.trim();
    if (name && /(^|\.)next-auth\.session-token(\.\d+)?$/.test(name)) {
      response.cookies.set({ name, value: '', maxAge: 0, path: '/', secure: name.startsWith('__Secure-'), httpOnly: true, sameSite: 'lax' });
    }
  }
  response.headers.set('cache-control', 'no-store');
  return response;
}
