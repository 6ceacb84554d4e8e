/** Renders the PWA's PNG icons (192, 512, maskable 512) from web/public/icon.svg in Chromium: `npx tsx scripts/make-icons.ts`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';

const svg = readFileSync('web/public/icon.svg', 'utf8');
// Maskable icons are cropped to a circle of 80% of their side: a full-bleed background, the dots well inside it.
const maskable = svg
  .replace('<rect width="64" height="64" rx="14" fill="#1f4e79"/>', '<rect width="64" height="64" fill="#1f4e79"/>')
  .replace('<g fill="#fff">', '<g fill="#fff" transform="translate(32 32) scale(0.7) translate(-32 -32)">');

const outputs = [
  { file: 'web/public/icons/icon-192.png', size: 192, source: svg },
  { file: 'web/public/icons/icon-512.png', size: 512, source: svg },
  { file: 'web/public/icons/icon-maskable-512.png', size: 512, source: maskable },
];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  for (const { file, size, source } of outputs) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const sized = source.replace('<svg ', `<svg width="${size}" height="${size}" `);
    await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block}</style>${sized}`);
    writeFileSync(file, await page.screenshot({ omitBackground: true }));
    await page.close();
    console.log(`${file} (${size}×${size})`);
  }
} finally {
  await browser.close();
}
