import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FEATURE_LABELS, formatQuota, lowestPlanWith, PLAN_IDS, PLANS } from '@/lib/billing/plans';

// The plan table lives in lib/billing/plans.ts; the README's table must say the same.
describe('the plan table', () => {
  const readme = fs.readFileSync('README.md', 'utf8');
  const row = (label: string) => {
    const line = readme.split('\n').find((l) => l.startsWith(`| ${label} |`));
    expect(line, `README row "${label}"`).toBeDefined();
    return line!.split('|').slice(2, -1).map((cell) => cell.trim());
  };

  it('matches the README on prices, quotas and upload sizes', () => {
    expect(row('Price')).toEqual(PLAN_IDS.map((id) => (PLANS[id].monthlyPriceUsd === 0 ? '$0' : `$${PLANS[id].monthlyPriceUsd}/month`)));
    expect(row('Jobs per month')).toEqual(PLAN_IDS.map((id) => (PLANS[id].monthlyJobQuota === null ? 'unlimited' : String(PLANS[id].monthlyJobQuota))));
    expect(row('Largest upload')).toEqual(PLAN_IDS.map((id) => `${PLANS[id].maxUploadBytes / 1024 / 1024} MB`));
  });

  it('matches the README on every feature', () => {
    for (const [feature, label] of Object.entries(FEATURE_LABELS)) {
      const cells = readme
        .split('\n')
        .find((l) => l.startsWith('| ') && l.toLowerCase().includes(label.toLowerCase().split(' ')[0]!) && l.includes('✓'));
      expect(cells, `README row for ${label}`).toBeDefined();
      const marks = cells!.split('|').slice(2, -1).map((c) => c.trim() === '✓');
      expect(marks, label).toEqual(PLAN_IDS.map((id) => PLANS[id].features.has(feature as keyof typeof FEATURE_LABELS)));
    }
  });

  it('says which plan first has a feature', () => {
    expect(lowestPlanWith('transcription').id).toBe('basic');
    expect(lowestPlanWith('priorityQueue').id).toBe('professional');
    expect(lowestPlanWith('apiAccess').id).toBe('enterprise');
    expect(lowestPlanWith('whiteLabel').id).toBe('enterprise');
    expect(formatQuota(null)).toBe('Unlimited');
    expect(formatQuota(1500)).toBe('1,500');
  });
});
