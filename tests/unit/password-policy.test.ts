import { describe, expect, it } from 'vitest';
import { checkPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type PasswordContext } from '@/lib/auth/password-policy';
import { newPasswordField as passwordField } from '@/lib/auth/schemas';

const person = { email: 'ana.souza@northside.example', name: 'Ana Souza', clinicName: 'Northside Eye Care' };
const check = (password: string, context: Partial<PasswordContext> = {}) => checkPassword({ ...person, ...context, password });
const STRONG = 'violet kettle orbit ledger';

describe('checkPassword', () => {
  it('has the documented bounds', () => {
    expect([PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH]).toEqual([12, 128]);
  });

  it('rejects fewer than 12 characters', () => {
    expect(check('qZ7#vLp2!xR')).toEqual({ ok: false, message: 'Use at least 12 characters.' });
  });

  it('accepts a strong password of exactly 12 characters', () => {
    const twelve = 'qZ7#vLp2!xRw';
    expect([...twelve]).toHaveLength(12);
    expect(check(twelve)).toEqual({ ok: true });
  });

  it('rejects 129 characters and accepts 128', () => {
    const base = `${STRONG} `.repeat(10);
    expect(check(base.slice(0, 129))).toEqual({ ok: false, message: 'Use at most 128 characters.' });
    expect(check(base.slice(0, 128))).toEqual({ ok: true });
  });

  it('counts Unicode code points, not UTF-16 units', () => {
    // 11 emoji are 22 UTF-16 units but 11 characters.
    const elevenEmoji = '🦊🐙🌵🎻🚲🧭🪁🍋🛶🦉🧩';
    expect(elevenEmoji.length).toBe(22);
    expect(check(elevenEmoji)).toEqual({ ok: false, message: 'Use at least 12 characters.' });
    expect(check('🦊🐙🌵🎻🚲🧭🪁🍋🛶🦉🧩🥁')).toEqual({ ok: true });
    // 128 emoji are 256 units but within the limit (then rejected only as guessable).
    expect(check('🦊'.repeat(128))).not.toEqual({ ok: false, message: 'Use at most 128 characters.' });
    expect(check('🦊'.repeat(129))).toEqual({ ok: false, message: 'Use at most 128 characters.' });
  });

  it.each(['password1234', 'qwertyuiop123', 'aaaaaaaaaaaa', '123456789012', 'Password123!', 'iloveyou2024'])(
    'rejects the guessable %s',
    (password) => {
      expect(check(password)).toEqual({
        ok: false,
        message: 'This password is too easy to guess. Try a longer phrase of unrelated words.',
      });
    },
  );

  it('treats the product and the user\'s details as guessable words', () => {
    expect(check('maneiromaneiro').ok).toBe(false);
    // Random-looking letters are strong, until they are the user's own name.
    expect(check('qwzrtplkvbnmxj', { name: undefined })).toEqual({ ok: true });
    expect(check('qwzrtplkvbnmxj', { name: 'Qwzrtplk Vbnmxj' }).ok).toBe(false);
    expect(check('vbnmxjmaneiro', { name: 'Vbnmxj' }).ok).toBe(false);
  });

  it('rejects the email address, case-insensitively', () => {
    expect(check('my ANA.SOUZA@Northside.example pw')).toEqual({
      ok: false,
      message: 'Your password must not contain your email address.',
    });
  });

  it('rejects the part of the email before the @ when it has 4 characters or more', () => {
    expect(check('Ana.Souza-violet-kettle')).toEqual({
      ok: false,
      message: 'Your password must not contain the part of your email address before the @.',
    });
    // A 3-character local part is too common to forbid.
    expect(check(`bob ${STRONG}`, { email: 'bob@example.com' })).toEqual({ ok: true });
  });

  it("rejects the clinic's name, case-insensitively and without spaces", () => {
    const message = "Your password must not contain the clinic's name.";
    expect(check('orbit NORTHSIDE eye care ledger')).toEqual({ ok: false, message });
    expect(check('orbit northsideEyeCare ledger')).toEqual({ ok: false, message });
    // Names shorter than 4 characters are not forbidden.
    expect(check(`eye ${STRONG}`, { clinicName: 'Eye' })).toEqual({ ok: true });
    expect(check(STRONG, { clinicName: undefined })).toEqual({ ok: true });
  });

  it('never repeats the password in a message', () => {
    const attempts = ['short', 'x'.repeat(200), 'password1234', 'ana.souza@northside.example!', 'ana.souza rules', 'northside eye care 1'];
    for (const password of attempts) {
      const result = check(password);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message.toLowerCase()).not.toContain(password.toLowerCase());
    }
  });
});

describe('the form password field', () => {
  it('applies the length rules with the same messages, counting code points', () => {
    expect(passwordField.safeParse(STRONG).success).toBe(true);
    expect(passwordField.safeParse('short').error?.issues[0]?.message).toBe('Use at least 12 characters.');
    expect(passwordField.safeParse('x'.repeat(129)).error?.issues[0]?.message).toBe('Use at most 128 characters.');
    expect(passwordField.safeParse('🦊'.repeat(128)).success).toBe(true);
    expect(passwordField.safeParse(42).success).toBe(false);
  });
});
