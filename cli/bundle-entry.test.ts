import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { removeTempDirs, tempDir } from '../adapters/node/temp-tree.ts';
import { bundleEntry, bundleFiles } from './bundle-entry.mjs';

afterAll(removeTempDirs);

/** A repository with one source file and a bundle built from it, the bundle `bundleAge` seconds after the source. */
async function repo(bundleAge: number): Promise<string> {
  const root = await tempDir();
  await mkdir(join(root, 'cli'));
  await mkdir(join(root, 'dist', 'cli'), { recursive: true });
  await writeFile(join(root, 'cli', 'a.ts'), 'export {};');
  await writeFile(join(root, 'dist', 'cli', 'quintet.mjs'), '');
  await writeFile(join(root, 'dist', 'cli', 'inputs.json'), JSON.stringify({ inputs: ['cli/a.ts'] }));
  const t = Date.now() / 1000 - 100;
  await utimes(join(root, 'cli', 'a.ts'), t, t);
  await utimes(join(root, 'dist', 'cli', 'quintet.mjs'), t + bundleAge, t + bundleAge);
  return root;
}

describe('which bundle the quintet bin runs', () => {
  it('runs the bundle while no source it was built from is newer', async () => {
    const root = await repo(10);
    expect(bundleEntry(root)).toBe(pathToFileURL(join(root, 'dist', 'cli', 'quintet.mjs')).href);
  });

  it('runs from source once a source is edited after the build', async () => {
    expect(bundleEntry(await repo(-10))).toBeNull();
  });

  it('runs from source when a source is gone, the list is missing or there is no bundle', async () => {
    const gone = await repo(10);
    await rm(join(gone, 'cli', 'a.ts'));
    expect(bundleEntry(gone)).toBeNull();
    const unlisted = await repo(10);
    await rm(join(unlisted, 'dist', 'cli', 'inputs.json'));
    expect(bundleEntry(unlisted)).toBeNull();
    const unbuilt = await repo(10);
    await rm(join(unbuilt, 'dist', 'cli', 'quintet.mjs'));
    expect(bundleEntry(unbuilt)).toBeNull();
  });

  it("pairs the entry with the local script its inputs list names, and with none it does not name as the build does", async () => {
    const root = await repo(10);
    expect(bundleFiles(root)?.local).toBeNull();
    const list = (local: string) => writeFile(join(root, 'dist', 'cli', 'inputs.json'), JSON.stringify({ inputs: ['cli/a.ts'], local }));
    await list('local-0a1b.cjs');
    expect(bundleFiles(root)).toEqual({ entry: pathToFileURL(join(root, 'dist', 'cli', 'quintet.mjs')).href, local: join(root, 'dist', 'cli', 'local-0a1b.cjs') });
    await list('../../elsewhere.cjs');
    expect(bundleFiles(root)?.local).toBeNull();
    expect(bundleFiles(await repo(-10))).toBeNull();
  });
});
