/** cli/quintet.cjs, the bin: libuv's thread pool gets 64 threads unless the user chose, before anything starts it. */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeTempDirs, tempDir } from '../adapters/node/temp-tree.ts';

afterAll(removeTempDirs);

// What the real quintet.mjs would run, replaced by a probe: the pool's size as the environment says it and as the
// process's threads show it once a file-system call has started the pool (libuv starts all its threads at once).
const PROBE = `import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
await readFile(${JSON.stringify(fileURLToPath(import.meta.url))});
console.log(JSON.stringify({ size: process.env.UV_THREADPOOL_SIZE, threads: readdirSync('/proc/self/task').length }));
`;

async function probe(env: Record<string, string>): Promise<{ size: string; threads: number }> {
  const dir = await tempDir();
  await copyFile(fileURLToPath(new URL('./quintet.cjs', import.meta.url)), join(dir, 'quintet.cjs'));
  await writeFile(join(dir, 'quintet.mjs'), PROBE);
  const { UV_THREADPOOL_SIZE: _, ...rest } = process.env;
  const out = spawnSync(process.execPath, [join(dir, 'quintet.cjs')], { encoding: 'utf8', env: { ...rest, ...env } });
  expect(out.status, out.stderr).toBe(0);
  return JSON.parse(out.stdout) as { size: string; threads: number };
}

// /proc/self/task, where the threads are counted, is Linux's.
describe.skipIf(process.platform !== 'linux')('the quintet bin', () => {
  it('gives libuv 64 threads, 60 more than when the user asks for 4, and keeps a size the user set', async () => {
    const ours = await probe({});
    const four = await probe({ UV_THREADPOOL_SIZE: '4' });
    expect(ours.size).toBe('64');
    expect(four.size).toBe('4');
    expect(ours.threads - four.threads).toBe(60);
  });
});
