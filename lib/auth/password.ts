// Password hashing and verification. New hashes are argon2id; bcrypt hashes
// imported from the old Flask app are still accepted and reported as needing a
// rehash, so the caller upgrades them to argon2id at the next successful sign-in.
import { randomBytes } from 'node:crypto';
import { hash, parseOptions, verify, type Algorithm, type Options } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';

// The package's Algorithm/Version are ambient const enums, which isolatedModules
// forbids reading; these are their documented numeric values.
const ARGON2ID = 2 as Algorithm;
const ARGON2_VERSION_0x13 = 1;

/**
 * argon2id for an interactive sign-in on a 2-core server. OWASP's floor is
 * m=19 MiB, t=2, p=1; we use 64 MiB with t=2 (about 3.4 times the work per guess
 * for an attacker), measured at ~75 ms per hash on one core. That keeps sign-in
 * snappy, lets two cores absorb ~25 sign-ins per second (sign-in throttling caps
 * abuse well below that), and bounds memory: the libuv pool runs at most 4 hashes
 * at once, so 256 MiB at worst. p=1 because a web server gets its parallelism
 * from concurrent requests, not from lanes within one hash.
 */
export const ARGON2_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 65_536,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
} as const satisfies Options;

const MIN_SALT_BYTES = 16;

/** `$2a$`, `$2b$` or `$2y$`, a two-digit cost, then 22 salt and 31 hash characters. */
const BCRYPT_HASH = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;
const ARGON2ID_PREFIX = '$argon2id$';

export interface VerifyResult {
  ok: boolean;
  /** Meaningful only when ok: the stored hash should be replaced by hashPassword(password). */
  needsRehash: boolean;
}

const FAILED: VerifyResult = { ok: false, needsRehash: false };

/** True for a well-formed bcrypt hash of the kind the old app stored. */
export function isBcryptHash(stored: string): boolean {
  return BCRYPT_HASH.test(stored);
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(storedHash: string, password: string): Promise<VerifyResult> {
  try {
    if (storedHash.startsWith(ARGON2ID_PREFIX)) return await verifyArgon2(storedHash, password);
    if (isBcryptHash(storedHash)) return await verifyBcrypt(storedHash, password);
  } catch {
    // A garbled stored hash is a failed sign-in, not a server error.
  }
  return FAILED;
}

async function verifyArgon2(storedHash: string, password: string): Promise<VerifyResult> {
  const ok = await verify(storedHash, password);
  if (!ok) return FAILED;
  return { ok, needsRehash: isWeakerThanPolicy(storedHash) };
}

/** Memory, passes, output and salt below policy, or an older Argon2 version. Parallelism is not strength. */
function isWeakerThanPolicy(storedHash: string): boolean {
  const used = parseOptions(storedHash);
  return (
    used.algorithm !== ARGON2_OPTIONS.algorithm ||
    used.version !== ARGON2_VERSION_0x13 ||
    used.memoryCost < ARGON2_OPTIONS.memoryCost ||
    used.timeCost < ARGON2_OPTIONS.timeCost ||
    used.outputLen < ARGON2_OPTIONS.outputLen ||
    used.saltLen < MIN_SALT_BYTES
  );
}

/**
 * bcrypt keys on the first 72 UTF-8 bytes of the password and ignores the rest.
 * The old app (Flask with pyca/bcrypt, no pre-hashing) did the same, so a longer
 * password is accepted exactly when the old app accepted it: when its first 72
 * bytes match. We keep that rather than refuse such passwords, which would lock
 * out the legacy users who chose them; the exposure ends at their first sign-in,
 * when the hash is replaced by argon2id over the whole password. bcryptjs treats
 * `$2a$`, `$2b$` and `$2y$` alike (all three mean the same algorithm for UTF-8
 * input), so the prefix needs no rewriting.
 */
async function verifyBcrypt(storedHash: string, password: string): Promise<VerifyResult> {
  const ok = await bcrypt.compare(password, storedHash);
  return ok ? { ok, needsRehash: true } : FAILED;
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time of a real verification on an unknown email, so response
 * timing does not reveal which addresses have accounts. The dummy hash is made
 * once, on first use, with the current options so its cost tracks the policy.
 */
export async function verifyAgainstDummy(password: string): Promise<void> {
  dummyHash ??= hashPassword(randomBytes(32).toString('base64url')).catch((error: unknown) => {
    dummyHash = undefined;
    throw error;
  });
  await verifyPassword(await dummyHash, password);
}
