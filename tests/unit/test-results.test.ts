import { describe, expect, it } from 'vitest';
import { totalTestResults } from '@/scripts/lib/test-results';

const vitest = (passed: number, failed = 0, pending = 0, todo = 0) => ({
  numPassedTests: passed,
  numFailedTests: failed,
  numPendingTests: pending,
  numTodoTests: todo,
});
const playwright = (expected: number, unexpected = 0, skipped = 0, flaky = 0) => ({ stats: { expected, unexpected, skipped, flaky } });

describe('test result totals', () => {
  it('passes a clean run and prints the closing line', () => {
    const totals = totalTestResults(vitest(40), playwright(9), true);
    expect(totals.failure).toBeNull();
    expect(totals.lines.at(-1)).toBe('49 passed, 0 failed, 0 skipped');
  });

  it('fails on skipped or todo tests under CI, in either runner', () => {
    expect(totalTestResults(vitest(40, 0, 1), playwright(9), true).failure).toMatch(/skipped tests count as failures/);
    expect(totalTestResults(vitest(40, 0, 0, 1), playwright(9), true).failure).toMatch(/skipped/);
    expect(totalTestResults(vitest(40), playwright(9, 0, 2), true).failure).toMatch(/skipped/);
  });

  it('tolerates skips outside CI', () => {
    expect(totalTestResults(vitest(40, 0, 1), playwright(9, 0, 1), false).failure).toBeNull();
  });

  it('fails on failures and on a runner that ran nothing', () => {
    expect(totalTestResults(vitest(40, 1), playwright(9), false).failure).toMatch(/1 test\(s\) failed/);
    expect(totalTestResults(vitest(40), playwright(8, 1), false).failure).toMatch(/failed/);
    expect(totalTestResults(vitest(0), playwright(9), false).failure).toMatch(/executed no test/);
  });
});
