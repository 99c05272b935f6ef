import { expect, test } from '@playwright/test';

// The e2e server runs NODE_ENV=production (tests/e2e/server.ts), where the
// development mailbox must not exist: stored email holds sign-in links.
test('the development mailbox does not exist in production', async ({ page }) => {
  const response = await page.goto('/dev/mailbox');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Development mailbox' })).toHaveCount(0);
});
