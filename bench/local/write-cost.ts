/**
 * Finding 14's measurement: what one file costs Chrome on real disk by the name it has when its writable is closed and
 * when it is moved, e.g. staged `.part` → final `.txt`. Headed Chromium on Xvfb, a real folder picked through the
 * native chooser (e2e-disk/support/); prints per-file close and move times (ms) for each naming scheme.
 *
 *   npx tsx bench/local/write-cost.ts [--files 20] [--no-build]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startDesktop } from '../../e2e-disk/support/desktop.ts';
import { pickFolder } from '../../e2e-disk/support/chooser.ts';
import { build, serve } from '../inventory/app.ts';
import { freePort } from '../../e2e/support/free-port.ts';

const { values: flags } = parseArgs({ options: { files: { type: 'string', default: '20' }, 'no-build': { type: 'boolean', default: false } } });
const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
// [label, staged name's extension, final name's extension]; '' = no extension.
const SCHEMES: [string, string, string][] = [
  ['.part → .txt', '.part', '.txt'], ['.txt → .txt', '.txt', '.txt'], ['(none) → .txt', '', '.txt'],
  ['.part → .exe', '.part', '.exe'], ['.txt → .exe', '.txt', '.exe'], ['.exe → .exe', '.exe', '.exe'],
  ['.txt → (none)', '.txt', ''], ['(none) → (none)', '', ''], ['.bin → .bin', '.bin', '.bin'], ['.jpg → .jpg', '.jpg', '.jpg'],
];

const folder = mkdtempSync(join(tmpdir(), 'quintet-write-cost-'));
if (!flags['no-build']) build(repo);
const port = await freePort();
const stopServer = await serve(repo, port);
const desktop = await startDesktop();
try {
  const page = desktop.page;
  await page.goto(`http://localhost:${port}/`);
  // A bare button whose click (a real user gesture) opens the chooser and keeps the handle.
  await page.evaluate(() => {
    const button = document.createElement('button');
    button.textContent = 'Pick for measure';
    button.onclick = async () => {
      const w = window as unknown as { showDirectoryPicker(o: object): Promise<FileSystemDirectoryHandle>; __dir?: FileSystemDirectoryHandle };
      w.__dir = await w.showDirectoryPicker({ mode: 'readwrite' });
      button.textContent = 'Picked for measure';
    };
    document.body.prepend(button);
  });
  await pickFolder(desktop, { button: page.getByRole('button', { name: 'Pick for measure' }), picked: page.getByRole('button', { name: 'Picked for measure' }), path: folder });
  const rows = await page.evaluate(async ({ schemes, n }) => {
    const root = (window as unknown as { __dir: FileSystemDirectoryHandle }).__dir;
    const data = new Uint8Array(1000).fill(65);
    const out: string[] = [];
    for (const [i, [label, stagedExt, finalExt]] of schemes.entries()) {
      const staging = await root.getDirectoryHandle(`tmp-${i}`, { create: true });
      const dir = await root.getDirectoryHandle(`final-${i}`, { create: true });
      const close: number[] = [];
      const move: number[] = [];
      for (let k = 0; k < n; k++) {
        const handle = await staging.getFileHandle(`s${k}${stagedExt}`, { create: true });
        const writable = await handle.createWritable();
        await writable.write(data);
        let t = performance.now();
        await writable.close();
        close.push(performance.now() - t);
        t = performance.now();
        await (handle as unknown as { move(d: FileSystemDirectoryHandle, name: string): Promise<void> }).move(dir, `f${k}${finalExt}`);
        move.push(performance.now() - t);
      }
      const mean = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1);
      const slow = (xs: number[]) => xs.filter((x) => x > 1000).length;
      out.push(`| ${label} | ${mean(close)} ms (${slow(close)} > 1 s) | ${mean(move)} ms (${slow(move)} > 1 s) |`);
    }
    return out;
  }, { schemes: SCHEMES, n: Number(flags.files) });
  console.log(`${flags.files} files of 1,000 B per scheme, Chromium ${desktop.browser.version()}\n`);
  console.log(['| Staged → final | close(), mean | move(), mean |', '|---|---:|---:|', ...rows].join('\n'));
} finally {
  await desktop.stop();
  stopServer();
  rmSync(folder, { recursive: true, force: true });
}
