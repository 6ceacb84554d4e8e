/** Test helpers: real temporary directories seeded from a TreeSpec, removed after the suite. */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TreeSpec } from '../../core/testing/memfs.ts';

const made: string[] = [];

/** A fresh empty directory under the OS temp folder. */
export async function tempDir(prefix = 'quintet-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Writes `tree` under `dir` (a string or bytes is a file, an object a directory). */
export async function seedDir(dir: string, tree: TreeSpec): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, value] of Object.entries(tree)) {
    const path = join(dir, name);
    if (typeof value === 'string' || value instanceof Uint8Array) await writeFile(path, value);
    else await seedDir(path, value);
  }
}

/**
 * Removes every directory made by `tempDir` (call in afterAll). Retried a few times: a member that has just left may
 * still be saving its index (written whole, by rename) while the folder is removed (ENOTEMPTY).
 */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true, maxRetries: 5 })));
}
