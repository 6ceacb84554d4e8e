/** Home page: language from navigator.language with a switch that sticks, and the PWA manifest. */
import { test, expect } from './support/fixtures.ts';

test.describe('in a French browser', () => {
  test.use({ locale: 'fr-FR' });

  test('speaks French first, switches to English, and remembers the choice', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('button', { name: 'Synchronisation locale' })).toBeVisible();
    await page.getByLabel('Langue').selectOption('en');
    await expect(page.getByRole('button', { name: 'Local synchronization' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('button', { name: 'Local synchronization' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  });
});

test('the local and cloud session pages are reachable', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Cloud synchronization' })).toBeEnabled();
  await page.getByRole('button', { name: 'Local synchronization' }).click();
  await expect(page.getByRole('region', { name: 'Member A' })).toContainText('This computer');
  await expect(page.getByRole('button', { name: 'Start inventory' })).toBeDisabled();
  const manifest = await page.request.get('/manifest.webmanifest');
  expect(manifest.ok()).toBe(true);
  expect((await manifest.json()).name).toBe('Quintet');
});

test.describe('in a browser without the File System Access API', () => {
  test.beforeEach(async ({ page }) => {
    // Runs after the fixtures' OPFS pickers: this browser has no folder picker at all.
    await page.addInitScript(() => {
      delete (window as { showDirectoryPicker?: unknown }).showDirectoryPicker;
      delete (window as { showOpenFilePicker?: unknown }).showOpenFilePicker;
    });
  });

  test('explains what works there instead of offering buttons that would fail', async ({ page }) => {
    await page.goto('/');
    const note = page.getByRole('region', { name: 'This browser cannot open your folders' });
    await expect(note).toContainText('File System Access API');
    await expect(note).toContainText('What works here');
    await expect(note).toContainText('open this page in Chrome or Edge on a computer');
    await expect(page.getByRole('button', { name: 'Local synchronization' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Cloud synchronization' })).toHaveCount(0);
    await page.getByLabel('Language').selectOption('fr');
    await expect(page.getByRole('region', { name: 'Ce navigateur ne peut pas ouvrir vos dossiers' })).toContainText('Ce qui fonctionne ici');
  });
});
