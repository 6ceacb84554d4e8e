import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeTempDirs, seedDir, tempDir } from '../adapters/node/temp-tree.ts';

afterAll(removeTempDirs);

const bin = fileURLToPath(new URL('./quintet.mjs', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, QUINTET_STATE_DIR: stateDir } });
let stateDir = '';

describe('the quintet bin', () => {
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

  it('exits 2 with a message on bad arguments', () => {
    const bad = run('local', 'only-one');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('needs at least two folders');
    expect(run('serve', '--port', 'abc').status).toBe(2);
  });
});
