import { hash as argon2Hash } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { ARGON2_OPTIONS, hashPassword, isBcryptHash, verifyAgainstDummy, verifyPassword } from '@/lib/auth/password';

const PASSWORD = 'violet kettle orbit ledger';
// Cost 4 keeps bcrypt fast; the cost does not change how verification works.
const bcryptHash = (password: string) => bcrypt.hash(password, 4);

describe('argon2id passwords', () => {
  it('hashes to an argon2id PHC string with the policy parameters, salted per hash', async () => {
    const [first, second] = await Promise.all([hashPassword(PASSWORD), hashPassword(PASSWORD)]);
    expect(first).toMatch(
      new RegExp(`^\\$argon2id\\$v=19\\$m=${ARGON2_OPTIONS.memoryCost},t=${ARGON2_OPTIONS.timeCost},p=${ARGON2_OPTIONS.parallelism}\\$`),
    );
    expect(first).not.toBe(second);
    expect(ARGON2_OPTIONS.memoryCost).toBeGreaterThanOrEqual(19_456);
    expect(ARGON2_OPTIONS.timeCost).toBeGreaterThanOrEqual(2);
  });

  it('verifies the right password without asking for a rehash, and rejects a wrong one', async () => {
    const stored = await hashPassword(PASSWORD);
    expect(await verifyPassword(stored, PASSWORD)).toEqual({ ok: true, needsRehash: false });
    expect(await verifyPassword(stored, `${PASSWORD}!`)).toEqual({ ok: false, needsRehash: false });
    expect(await verifyPassword(stored, '')).toEqual({ ok: false, needsRehash: false });
  });

  it('asks for a rehash of an argon2id hash made with weaker parameters', async () => {
    const owaspFloor = await argon2Hash(PASSWORD, { ...ARGON2_OPTIONS, memoryCost: 19_456, timeCost: 1 });
    expect(await verifyPassword(owaspFloor, PASSWORD)).toEqual({ ok: true, needsRehash: true });
    const fewerPasses = await argon2Hash(PASSWORD, { ...ARGON2_OPTIONS, timeCost: 1 });
    expect(await verifyPassword(fewerPasses, PASSWORD)).toEqual({ ok: true, needsRehash: true });
  });
});

describe('bcrypt hashes from the old app', () => {
  it.each(['$2a$', '$2b$', '$2y$'])('verifies %s hashes and asks for a rehash', async (prefix) => {
    // bcryptjs writes $2b$; the three prefixes name the same algorithm, so swapping it gives a genuine hash of each kind.
    const stored = (await bcryptHash(PASSWORD)).replace(/^\$2b\$/, prefix);
    expect(stored.startsWith(prefix)).toBe(true);
    expect(isBcryptHash(stored)).toBe(true);
    expect(await verifyPassword(stored, PASSWORD)).toEqual({ ok: true, needsRehash: true });
    expect(await verifyPassword(stored, 'Violet kettle orbit ledger')).toEqual({ ok: false, needsRehash: false });
  });

  it('matches passwords over 72 bytes by their first 72 bytes, as the old app did', async () => {
    const long = `${'a'.repeat(70)}é-and-more`; // 'é' is 2 bytes: byte 72 ends inside the first 72
    const stored = await bcryptHash(long);
    expect(bcrypt.truncates(long)).toBe(true);
    expect(await verifyPassword(stored, long)).toEqual({ ok: true, needsRehash: true });
    expect((await verifyPassword(stored, `${'a'.repeat(70)}é-something-else`)).ok).toBe(true);
    expect((await verifyPassword(stored, 'a'.repeat(70))).ok).toBe(false);
    expect((await verifyPassword(stored, `${'a'.repeat(70)}e-and-more`)).ok).toBe(false);
  });
});

describe('stored hashes that cannot be verified', () => {
  it.each([
    ['empty', ''],
    ['plain text', 'hunter2hunter2'],
    ['a bare prefix', '$argon2id$'],
    ['truncated argon2id', '$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$'],
    ['argon2id with bad base64', '$argon2id$v=19$m=65536,t=2,p=1$!!!!$!!!!'],
    ['argon2i', '$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['bcrypt with a bad cost', '$2b$99$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234'],
    ['short bcrypt', '$2b$10$abcdefghijklmnopqrstuu'],
    ['old $2$ bcrypt', '$2$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234'],
    ['$2x$ bcrypt', '$2x$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234'],
    ['md5 crypt', '$1$saltsalt$qjXMvbEw8oaL.CzflDugX/'],
  ])('returns ok:false for %s without throwing', async (_label, stored) => {
    expect(await verifyPassword(stored, PASSWORD)).toEqual({ ok: false, needsRehash: false });
  });
});

describe('verifyAgainstDummy', () => {
  it('resolves for any password, repeatedly', async () => {
    await expect(verifyAgainstDummy(PASSWORD)).resolves.toBeUndefined();
    await expect(verifyAgainstDummy('')).resolves.toBeUndefined();
  });
});
