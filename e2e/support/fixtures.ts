/** Playwright fixtures: every page gets OPFS-backed pickers and a helper to add sources through the real buttons. */
import { test as base, expect, type Page } from '@playwright/test';
import { installOpfsPickers } from './opfs-pickers.ts';
import { chooseMirror } from './mirror-preset.ts';

export const test = base.extend<{ page: Page }>({
  page: async ({ page }, use) => {
    await page.addInitScript(installOpfsPickers);
    page.on('pageerror', (error) => console.error('[page error]', error));
    await use(page);
  },
});
export { expect };

/** Queues what the next picker call returns (an OPFS path), then clicks the button that opens it. */
export async function pick(page: Page, button: 'Add directory' | 'Add file', opfsPath: string): Promise<void> {
  await page.evaluate((path) => (window as unknown as { __quintetPicks: string[] }).__quintetPicks.push(path), opfsPath);
  await page.getByRole('button', { name: button }).click();
}

/** Home → Local synchronization, with the given OPFS folders added as A1, A2 … */
export async function openLocalSession(page: Page, folders: string[]): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Local synchronization' }).click();
  const member = page.getByRole('region', { name: 'Member A' });
  for (const [i, folder] of folders.entries()) {
    await pick(page, 'Add directory', folder);
    await expect(member.getByText(`A${i + 1}`, { exact: true })).toBeVisible();
  }
}

/** Runs the inventory and waits for the comparison table. */
export async function inventory(page: Page): Promise<void> {
  const start = page.getByRole('button', { name: /^(Start inventory|Start inventory again)$/ });
  await start.click();
  await expect(page.getByRole('table', { name: 'Comparison' })).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole('button', { name: 'Cancel inventory' })).toHaveCount(0, { timeout: 120_000 });
}

/** Chooses a preset, confirms, and waits for the run to end. Returns the status text. */
export async function mirror(page: Page, from: string, to: string): Promise<string> {
  await chooseMirror(page, from, to);
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Synchronize' }).click();
  const status = page.getByRole('status');
  await expect(status.getByRole('heading', { level: 2 })).toHaveText(/^Synchronization (complete|finished with (\d+ errors?( and \d+ skipped)?|\d+ skipped)|stopped|failed.*)$/, { timeout: 170_000 });
  return (await status.getByRole('heading', { level: 2 }).textContent()) ?? '';
}
