// next-auth 4 with the Credentials provider and JWT sessions. The token carries
// only the user id and session version; role, clinic and plan are always read
// from the database (lib/web/session.ts), and a bumped sessionVersion revokes
// every token issued before it.
import type { AuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { recordAudit } from '@/lib/audit/record';
import { signInWithPassword } from '@/lib/auth/sign-in';
import { getConfig } from '@/lib/config';
import { db } from '@/lib/db/client';
import { requestContextFrom } from '@/lib/http/request-context';
import { checkAuthRateLimit } from '@/lib/ratelimit/auth';

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

/** Sign-in errors surface to the browser as these codes (never as details). */
export const SIGN_IN_ERROR = { invalid: 'CredentialsSignin', throttledPrefix: 'throttled:', unavailablePrefix: 'unavailable:' } as const;

function headersFrom(raw: Record<string, unknown> | undefined): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (typeof value === 'string') headers.set(key, value);
    else if (Array.isArray(value)) headers.set(key, value.join(', '));
  }
  return headers;
}

let cached: AuthOptions | undefined;

/** The options for this process (built once). */
export function authOptions(): AuthOptions {
  cached ??= authOptionsFor();
  return cached;
}

/** Builds the options from the current config (tests call this directly). */
export function authOptionsFor(config = getConfig()): AuthOptions {
  return {
    secret: config.auth.secret,
    useSecureCookies: config.app.url.startsWith('https://'),
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS, updateAge: 60 * 60 },
    pages: { signIn: '/login', error: '/login' },
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials, req) {
          if (!credentials?.email || !credentials.password) return null;
          const request = requestContextFrom(headersFrom(req.headers));
          // Before any database work or password hashing; the database throttle below still applies.
          const limited = await checkAuthRateLimit('signIn', { ip: request.ip, email: credentials.email });
          if (limited && !limited.allowed) {
            const prefix = limited.failedClosed ? SIGN_IN_ERROR.unavailablePrefix : SIGN_IN_ERROR.throttledPrefix;
            throw new Error(`${prefix}${limited.retryAfterSeconds}`);
          }
          const result = await signInWithPassword(db(), { email: credentials.email, password: credentials.password, request });
          if (result.ok) return { id: result.userId, sessionVersion: result.sessionVersion };
          if (result.reason === 'throttled') throw new Error(`${SIGN_IN_ERROR.throttledPrefix}${result.retryAfterSeconds}`);
          return null;
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.sv = user.sessionVersion;
        }
        return token;
      },
      session({ session, token }) {
        return { expires: session.expires, userId: token.uid ?? '', sessionVersion: token.sv ?? 0 };
      },
    },
    events: {
      async signOut({ token }) {
        const userId = token?.uid;
        if (!userId) return;
        const memberships = await db().membership.findMany({ where: { userId }, select: { organizationId: true } });
        await db().$transaction(async (tx) => {
          for (const { organizationId } of memberships.length > 0 ? memberships : [{ organizationId: null }]) {
            await recordAudit(tx, { organizationId, actorUserId: userId, event: 'user.logout', targetType: 'user', targetId: userId });
          }
        });
      },
    },
  };
}
