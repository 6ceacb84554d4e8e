import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('./quintet.mjs', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('the quintet bin', () => {
  it('prints help for the command and every subcommand, with the exit codes', () => {
    const top = run('--help');
    expect(top.status).toBe(0);
    expect(top.stdout).toMatch(/Exit codes:[\s\S]*130/);
    for (const sub of ['local', 'serve']) {
      const help = run(sub, '--help');
      expect(help.status, sub).toBe(0);
      expect(help.stdout, sub).toContain(`Usage: quintet ${sub}`);
      expect(run('help', sub).stdout).toBe(help.stdout);
    }
  });

  it('exits 2 with a message on bad arguments', () => {
    const bad = run('local', 'only-one');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('needs at least two folders');
    expect(run('serve', '--port', 'abc').status).toBe(2);
  });
});
