// Last step of `npm test`: totals both runners' JSON reports into one closing
// line, and with CI=true fails the run if any test was skipped or left as todo.
import fs from 'node:fs';
import { isCi } from '@/lib/config';
import { totalTestResults, type PlaywrightReport, type VitestReport } from './lib/test-results';

function read<T>(file: string): T {
  if (!fs.existsSync(file)) {
    console.error(`Missing ${file}: the test runner did not write its report.`);
    process.exit(1);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

const totals = totalTestResults(
  read<VitestReport>('test-results/vitest.json'),
  read<PlaywrightReport>('test-results/playwright.json'),
  isCi(),
);
for (const line of totals.lines) console.log(line);
if (totals.failure) {
  console.error(totals.failure);
  process.exit(1);
}
