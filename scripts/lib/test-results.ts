// Totals the vitest and Playwright JSON reports of one `npm test` run.

export interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

export interface PlaywrightReport {
  stats: { expected: number; unexpected: number; skipped: number; flaky: number };
}

export interface TestTotals {
  lines: string[];
  passed: number;
  failed: number;
  skipped: number;
  /** Why the run fails, or null when it passes. */
  failure: string | null;
}

export function totalTestResults(vitest: VitestReport, playwright: PlaywrightReport, ci: boolean): TestTotals {
  const v = { passed: vitest.numPassedTests, failed: vitest.numFailedTests, skipped: vitest.numPendingTests + vitest.numTodoTests };
  const p = {
    passed: playwright.stats.expected + playwright.stats.flaky,
    failed: playwright.stats.unexpected,
    skipped: playwright.stats.skipped,
  };
  const passed = v.passed + p.passed;
  const failed = v.failed + p.failed;
  const skipped = v.skipped + p.skipped;
  let failure: string | null = null;
  if (failed > 0) failure = `${failed} test(s) failed.`;
  else if (v.passed === 0 || p.passed === 0) failure = 'A test runner executed no test.';
  else if (skipped > 0 && ci) failure = 'CI=true: skipped tests count as failures. Make them run or delete them.';
  return {
    lines: [
      `vitest: ${v.passed} passed, ${v.failed} failed, ${v.skipped} skipped`,
      `playwright: ${p.passed} passed, ${p.failed} failed, ${p.skipped} skipped`,
      `${passed} passed, ${failed} failed, ${skipped} skipped`,
    ],
    passed,
    failed,
    skipped,
    failure,
  };
}
