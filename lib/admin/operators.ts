// Who the platform operators are: the emails in PLATFORM_OPERATORS, compared
// case-insensitively with the user's address as stored now (a changed email stops
// matching at once). Operators are not a clinic role. To everyone else the console
// does not exist: every function answers not_found, like a page that is not there.
import 'server-only';
import { recordAudit, type RequestContext } from '@/lib/audit/record';
import { getConfig } from '@/lib/config';
import type { Db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';

export interface Operator {
  userId: string;
}

export type ConsoleSection = 'clinics' | 'problem_jobs' | 'webhooks';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The same answer as any unknown page or id, so nobody learns that the console exists. */
export function consoleNotFound(): AppError {
  return new AppError('not_found', { message: 'not a platform operator' });
}

export function isPlatformOperatorEmail(email: string, operators: readonly string[] = getConfig().auth.platformOperators): boolean {
  return operators.includes(email.trim().toLowerCase());
}

/** The user as an operator, or not_found. Reads the email from the database, never from the session. */
export async function requireOperator(db: Db, userId: string): Promise<Operator> {
  const operators = getConfig().auth.platformOperators;
  if (operators.length === 0 || !UUID.test(userId)) throw consoleNotFound();
  const user = await db.user.findUnique({ where: { id: userId }, select: { email: true } });
  if (!user || !isPlatformOperatorEmail(user.email, operators)) throw consoleNotFound();
  return { userId };
}

/**
 * A console view in the account chain (organizationId null): the views span every
 * clinic, so they belong to no clinic's chain.
 */
export async function recordConsoleView(db: Db, operator: Operator, section: ConsoleSection, context: RequestContext | null, counts: Record<string, number> = {}): Promise<void> {
  await db.$transaction((tx) =>
    recordAudit(tx, {
      organizationId: null,
      actorUserId: operator.userId,
      event: 'operator.viewed',
      targetType: 'admin_console',
      targetId: section,
      metadata: { operator: true, section, ...counts },
      request: context,
    }),
  );
}
