/** e2e helpers for Two-way and rules: run a preset or the current plan through the confirmation dialog. */
import { expect, type Page } from '@playwright/test';

/** Confirms the plan on screen and waits for the run to end; returns the status headline. */
export async function confirmRun(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Start synchronization' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Synchronize' }).click();
  const heading = page.getByRole('status').getByRole('heading').first();
  await expect(heading).toHaveText(/^Synchronization (complete|finished with (\d+ errors?( and \d+ skipped)?|\d+ skipped)|stopped|failed.*)$/, { timeout: 170_000 });
  return (await heading.textContent()) ?? '';
}

/** Chooses Two-way, applies it, and returns once the plan (or "nothing to do") is shown. */
export async function applyTwoWay(page: Page): Promise<void> {
  await page.getByLabel('Preset').selectOption('two-way');
  await page.getByRole('button', { name: 'Apply preset' }).click();
}
