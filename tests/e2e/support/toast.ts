import type { Locator, Page } from '@playwright/test';

/**
 * The visible toast with this title. Radix also announces each toast through a
 * visually hidden live region ("Notification <title>"), so a bare getByText can
 * match twice depending on timing; the title element is the one users see.
 */
export function toast(page: Page, title: string): Locator {
  return page.locator('li[data-state]').getByText(title, { exact: true });
}
