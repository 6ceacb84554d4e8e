// Takes docs/screenshot.png: a Local Session after Mirror A1 → A2 on a small tree, in Debian's Chromium.
// Run with the server up: `npm run serve` then `npx tsx scripts/screenshot.ts` (URL from QUINTET_URL).
import { chromium } from '@playwright/test';
import { installOpfsPickers } from '../e2e/support/opfs-pickers.ts';
import { writeTree } from '../e2e/support/opfs-tree.ts';

const url = process.env.QUINTET_URL ?? 'http://localhost:8787';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const page = await browser.newPage({ viewport: { width: 1200, height: 820 }, locale: process.env.QUINTET_LANG ?? 'en-US' });
// tsx (esbuild keepNames) wraps named functions in __name(); functions sent to the page need it defined there.
await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
await page.addInitScript(installOpfsPickers);
await page.goto(url);
await writeTree(page, 'Photos 2025', { 'Lyon/IMG_0001.jpg': { size: 2_400_000, seed: 1 }, 'Lyon/IMG_0002.jpg': { size: 1_900_000, seed: 2 }, 'Nice/IMG_0100.jpg': { size: 3_100_000, seed: 3 }, 'notes.txt': { text: 'à trier\n' } });
await writeTree(page, 'Backup photos', { 'Lyon/IMG_0001.jpg': { size: 2_400_000, seed: 1 }, 'Lyon/IMG_0002.jpg': { size: 1_900_000, seed: 9 }, 'old.txt': { text: 'old\n' } });
await page.getByRole('button', { name: /Local synchronization|Synchronisation locale/ }).click();
for (const name of ['Photos 2025', 'Backup photos']) {
  await page.evaluate((n) => (window as unknown as { __quintetPicks: string[] }).__quintetPicks.push(n), name);
  await page.getByRole('button', { name: /Add directory|Ajouter un répertoire/ }).click();
}
await page.getByRole('button', { name: /Start inventory|Démarrer l'inventaire/ }).click();
await page.getByRole('table').waitFor();
await page.getByRole('button', { name: /Apply preset|Appliquer le préréglage/ }).click();
await page.waitForTimeout(300);
await page.screenshot({ path: process.env.QUINTET_SHOT ?? 'docs/screenshot.png' });
await browser.close();
