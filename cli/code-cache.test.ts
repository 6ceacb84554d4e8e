/** cli/code-cache.mjs: a CommonJS script run with V8's code cache, the cache written once, a bad one replaced. */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeTempDirs, tempDir } from '../adapters/node/temp-tree.ts';
import { cacheOf } from './code-cache.mjs';

afterAll(removeTempDirs);

const LOADER = fileURLToPath(new URL('./code-cache.mjs', import.meta.url));
// Enough functions that V8 has code to cache; the exit code comes from the environment.
const SCRIPT = `'use strict';
const path = require('node:path');
function sum(n) { let s = 0; for (let i = 0; i < n; i++) s += i; return s; }
console.log(JSON.stringify({ sum: sum(1000), file: path.basename(__filename), same: module.exports === exports, args: process.argv.slice(2) }));
process.exitCode = Number(process.env.CODE ?? 0);
`;

async function scriptDir(): Promise<{ script: string; run: (args?: string[], code?: number) => { status: number | null; out: string } }> {
  const dir = await tempDir();
  const script = join(dir, 'local-0123.cjs');
  writeFileSync(script, SCRIPT);
  writeFileSync(join(dir, 'runner.mjs'), `import { runWithCodeCache } from ${JSON.stringify(LOADER)};\nrunWithCodeCache(${JSON.stringify(script)});\n`);
  const run = (args: string[] = [], code = 0) => {
    const r = spawnSync(process.execPath, [join(dir, 'runner.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, CODE: String(code) } });
    return { status: r.status, out: r.stdout + r.stderr };
  };
  return { script, run };
}

describe('running the local script with a code cache', () => {
  it('runs it as a CommonJS module, writes the cache after a run that succeeded and then keeps it', async () => {
    const { script, run } = await scriptDir();
    const first = run(['a', 'b']);
    expect(first.status, first.out).toBe(0);
    expect(JSON.parse(first.out)).toEqual({ sum: 499500, file: 'local-0123.cjs', same: true, args: ['a', 'b'] });
    const made = statSync(cacheOf(script));
    expect(made.size).toBeGreaterThan(0);
    const second = run(['a', 'b']);
    expect(second.out).toBe(first.out);
    // Accepted by V8, so not written again: the same file (a new one would be renamed over it).
    expect(statSync(cacheOf(script)).ino).toBe(made.ino);
  });

  it('writes none after a failed run or a help text', async () => {
    const { script, run } = await scriptDir();
    expect(run([], 3).status).toBe(3);
    expect(run(['--help']).status).toBe(0);
    expect(() => statSync(cacheOf(script))).toThrow();
  });

  it('runs as usual with a cache V8 rejects, and replaces it', async () => {
    const { script, run } = await scriptDir();
    const first = run();
    const good = readFileSync(cacheOf(script));
    const bad = Buffer.from(good);
    bad.fill(0x5a, 16, 64); // past V8's header: the checksum fails
    writeFileSync(cacheOf(script), bad);
    const again = run();
    expect(again.status).toBe(0);
    expect(again.out).toBe(first.out);
    expect(readFileSync(cacheOf(script)).equals(bad)).toBe(false);
    writeFileSync(cacheOf(script), 'not a cache');
    expect(run().out).toBe(first.out);
    expect(readFileSync(cacheOf(script)).length).toBeGreaterThan(100);
  });
});
