// Account benchmarks, measured in-process in one run:
//  - password hashing: argon2id hashes (and verifications) per second on one
//    core and on both, with the parameters in use — the cost is the point;
//  - the per-request session check: decoding the session JWT alone versus
//    decoding it and reading the user's session version from PostgreSQL, which is
//    what makes revocation immediate.
import { decode, encode } from 'next-auth/jwt';
import { ARGON2_OPTIONS, hashPassword, verifyPassword } from '@/lib/auth/password';
import { setEnvironment } from '@/lib/config';
import { db, disconnectDb } from '@/lib/db/client';
import { migrate } from '@/lib/db/migrations';
import type { EmbeddedDatabase } from '@/lib/db/embedded';

async function rate(label: string, seconds: number, concurrency: number, op: () => Promise<unknown>): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let count = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await op();
        count++;
      }
    }),
  );
  const perSecond = count / ((performance.now() - started) / 1000);
  console.log(`  ${label.padEnd(46)} ${perSecond.toFixed(perSecond < 100 ? 1 : 0).padStart(8)} /s`);
  return perSecond;
}

export async function benchAuth(database: EmbeddedDatabase): Promise<void> {
  await database.ensureDatabase('maneiro_bench_auth');
  const url = database.urlFor('maneiro_bench_auth');
  await migrate({ connectionString: url });
  setEnvironment({ DATABASE_URL: url });

  const { algorithm: _algorithm, ...parameters } = ARGON2_OPTIONS;
  console.log(`Password hashing (argon2id ${JSON.stringify(parameters)})`);
  const password = 'benchmark passphrase of decent length';
  const stored = await hashPassword(password);
  await rate('hash (sign-up, password change), one core', 4, 1, () => hashPassword(password));
  const oneCore = await rate('verify (sign-in), one core', 4, 1, () => verifyPassword(stored, password));
  const twoCores = await rate('verify (sign-in), both cores', 4, 2, () => verifyPassword(stored, password));
  console.log(`  sign-ins per second per core ≈ ${oneCore.toFixed(1)}; both cores give ${(twoCores / oneCore).toFixed(2)}× one\n`);

  const secret = 'bench-secret-'.padEnd(40, 'x');
  const user = await db().user.create({ data: { email: 'bench@example.test', name: 'Bench' }, select: { id: true, sessionVersion: true } });
  const token = await encode({ secret, token: { uid: user.id, sv: user.sessionVersion } });
  console.log('Session check per request');
  const jwtOnly = await rate('decode the session JWT', 3, 4, () => decode({ token, secret }));
  const withDb = await rate('decode + read session version from PostgreSQL', 3, 4, async () => {
    const claims = await decode({ token, secret });
    const row = await db().user.findUnique({ where: { id: String(claims?.uid) }, select: { sessionVersion: true } });
    if (row?.sessionVersion !== claims?.sv) throw new Error('session check failed');
  });
  console.log(`  the database check leaves ${((withDb / jwtOnly) * 100).toFixed(0)}% of the JWT-only rate (${(jwtOnly / withDb).toFixed(1)}× the cost per check)\n`);
  await disconnectDb();
}
