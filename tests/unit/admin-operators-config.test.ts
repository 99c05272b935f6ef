import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@/lib/config';

describe('PLATFORM_OPERATORS', () => {
  it('is empty by default: nobody can open the operator console', () => {
    expect(parseConfig({}).auth.platformOperators).toEqual([]);
    expect(parseConfig({ PLATFORM_OPERATORS: ' ' }).auth.platformOperators).toEqual([]);
  });

  it('reads comma-separated emails, trimmed and lower-cased', () => {
    expect(parseConfig({ PLATFORM_OPERATORS: ' Ops@Maneiro.com,, on-call@maneiro.com ' }).auth.platformOperators).toEqual(['ops@maneiro.com', 'on-call@maneiro.com']);
  });

  it('names the variable, never its value, when an entry is not an email', () => {
    const error = (() => {
      try {
        parseConfig({ PLATFORM_OPERATORS: 'ops@maneiro.com, not-an-email' });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([{ variable: 'PLATFORM_OPERATORS', message: 'must be a comma-separated list of email addresses' }]);
    expect((error as ConfigError).message).not.toContain('not-an-email');
  });
});
