import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeTempDirs, seedDir, tempDir } from '../adapters/node/temp-tree.ts';
import { bundleEntry, bundleFiles } from './bundle-entry.mjs';
import { cacheOf } from './code-cache.mjs';

afterAll(removeTempDirs);

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('./quintet.cjs', import.meta.url));
let stateDir = '';

beforeAll(() => {
  // The bundle as `npm ci` leaves it (prepare), unless it is already up to date with the sources.
  if (bundleEntry(root)) return;
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { encoding: 'utf8' });
  expect(built.status, built.stderr).toBe(0);
});

// Both ways the bin starts: the built bundle (dist/cli/), and the TypeScript through tsx (what runs when a source is
// newer than the bundle; QUINTET_CLI_SOURCE forces it here).
describe.each([
  { way: 'bundle', env: { QUINTET_CLI_SOURCE: '' } },
  { way: 'source', env: { QUINTET_CLI_SOURCE: '1' } },
])('the quintet bin, from its $way', ({ way, env }) => {
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, QUINTET_LANG: 'en', ...env, QUINTET_STATE_DIR: stateDir } });

  it('has a bundle up to date with the sources to run', () => {
    if (way === 'bundle') expect(bundleEntry(root)).toMatch(/dist\/cli\/quintet\.mjs$/);
    if (way === 'bundle') expect(bundleFiles(root)?.local).toMatch(/dist\/cli\/local-[0-9a-f]{16}\.cjs$/);
  });

  it('prints help for the command and every subcommand, with the exit codes', () => {
    const top = run('--help');
    expect(top.status).toBe(0);
    expect(top.stdout).toMatch(/Exit codes:[\s\S]*130/);
    for (const sub of ['local', 'serve', 'group', 'test']) {
      const help = run(sub, '--help');
      expect(help.status, sub).toBe(0);
      expect(help.stdout, sub).toContain(`Usage: quintet ${sub}`);
      expect(run('help', sub).stdout).toBe(help.stdout);
    }
  });

  it('mirrors for real in its own process, waiting for the hash workers (a large file) before it exits', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    stateDir = await tempDir();
    await seedDir(a, { 'large.bin': new Uint8Array(3 << 20).fill(9), 'small.txt': 'x' });
    const done = run('local', a, b, '--preset', 'mirror', '--yes');
    expect(done.stderr).not.toContain('Error');
    expect(done.status).toBe(0);
    expect((await readFile(join(b, 'large.bin'))).length).toBe(3 << 20);
  });

  it('runs `local` from its CommonJS script with a code cache made by the first run, and again with it', async () => {
    const local = bundleFiles(root)?.local;
    if (way !== 'bundle' || !local) return;
    await rm(cacheOf(local), { force: true });
    const [a, b, c] = [await tempDir(), await tempDir(), await tempDir()];
    await seedDir(a, { 'one.txt': '1', dir: { 'two.txt': '22' } });
    expect(run('local', a, b, '--preset', 'mirror', '--yes').status).toBe(0);
    expect((await stat(cacheOf(local))).size).toBeGreaterThan(10_000);
    const again = run('local', a, c, '--preset', 'mirror', '--yes');
    expect(again.stderr).not.toContain('Error');
    expect(again.status).toBe(0);
    expect(await readFile(join(c, 'dir', 'two.txt'), 'utf8')).toBe('22');
  });

  it('exits 2 with a message on bad arguments', () => {
    const bad = run('local', 'only-one');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('needs at least two folders');
    expect(run('serve', '--port', 'abc').status).toBe(2);
  });
});
