/** The installable app shell: a valid manifest whose icons resolve, a service worker that controls the page, and an offline reload that still opens the home page. */
import { readFileSync, writeFileSync } from 'node:fs';
import { test, expect } from './support/fixtures.ts';

// The server reads dist/web on every request: changing sw.js there is what a deployment of a new version does.
const SW_FILE = new URL('../dist/web/sw.js', import.meta.url);

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): string {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

test('the manifest is valid and every icon resolves at its announced size', async ({ page }) => {
  await page.goto('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const response = await page.request.get(href ?? '');
  expect(response.ok()).toBe(true);
  expect(response.headers()['content-type']).toContain('application/manifest+json');
  const manifest = (await response.json()) as { name: string; short_name: string; display: string; start_url: string; icons: { src: string; sizes: string; type: string; purpose?: string }[] };
  expect(manifest).toMatchObject({ name: 'Quintet', short_name: 'Quintet', display: 'standalone', start_url: '/' });
  const pngs = manifest.icons.filter((icon) => icon.type === 'image/png');
  expect(pngs.map((icon) => `${icon.sizes} ${icon.purpose ?? 'any'}`).sort()).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
  for (const icon of manifest.icons) {
    const file = await page.request.get(icon.src);
    expect(file.ok(), icon.src).toBe(true);
    expect(file.headers()['content-type'], icon.src).toContain(icon.type);
    if (icon.type === 'image/png') expect(pngSize(await file.body()), icon.src).toBe(icon.sizes);
  }
});

test('the service worker is served for revalidation, registers and controls the page', async ({ page }) => {
  const sw = await page.request.get('/sw.js');
  expect(sw.ok()).toBe(true);
  expect(sw.headers()['cache-control']).toBe('no-cache');
  expect(sw.headers()['content-type']).toContain('javascript');

  await page.goto('/');
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(new URL(scope).pathname).toBe('/');
  // A first visit installs the worker; from the next load on, it answers the page's requests.
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null), { timeout: 60_000 }).toMatch(/\/sw\.js$/);
});

test('offline, a reload opens the home page from the cache and says what still works', async ({ page, context }) => {
  await page.goto('/');
  await page.evaluate(async () => void (await navigator.serviceWorker.ready));
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 60_000 }).toBe(true);

  await context.setOffline(true);
  try {
    await page.reload();
    await expect(page.getByRole('button', { name: 'Local synchronization' })).toBeVisible();
    await expect(page.getByText(/^You are offline\. .*cloud sessions need the network/)).toBeVisible();
    // The lazily loaded cloud page was precached too.
    await page.getByRole('button', { name: 'Cloud synchronization' }).click();
    await expect(page.getByRole('button', { name: 'Start cloud session' })).toBeVisible();
  } finally {
    await context.setOffline(false);
  }
  await expect(page.getByText(/^You are offline\./)).toHaveCount(0);
});

test('a new version waits for the page to offer "Reload", in English and French, and reloading runs it', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(async () => void (await navigator.serviceWorker.ready));
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 60_000 }).toBe(true);
  await expect(page.getByText('A new version is ready.')).toHaveCount(0);

  const original = readFileSync(SW_FILE, 'utf8');
  writeFileSync(SW_FILE, `${original}\n// next release\n`);
  try {
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await expect(page.getByText('A new version is ready.')).toBeVisible({ timeout: 60_000 });
    await page.getByLabel('Language').selectOption('fr');
    await expect(page.getByText('Une nouvelle version est prête.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Recharger' })).toBeVisible();
    await page.getByLabel('Langue').selectOption('en');

    // Reload: the waiting worker takes over and the page loads again under it.
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await page.getByRole('button', { name: 'Reload' }).click();
    await reloaded;
    await expect(page.getByRole('button', { name: 'Local synchronization' })).toBeVisible();
    await expect(page.getByText('A new version is ready.')).toHaveCount(0);
    // The new worker is the active one: nothing waits any more, and it controls the page.
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)).toBeNull();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  } finally {
    writeFileSync(SW_FILE, original);
  }
});
