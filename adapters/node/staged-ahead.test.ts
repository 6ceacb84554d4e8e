import { afterAll, describe, expect, it } from 'vitest';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { NodeDirSink } from './node-dir-sink.ts';
import { releaseAll } from './staged-ahead.ts';
import { stagedNow } from './staged-file.ts';
import { removeTempDirs, tempDir } from './temp-tree.ts';

afterAll(removeTempDirs);

const staged = (dir: string) => readdir(join(dir, '.quintet', 'tmp')).catch(() => []);

describe('staged files created ahead', () => {
  it('gives each of many writers its own staged file, commits every one whole, and leaves nothing once released', async () => {
    const dir = await tempDir();
    const sink = await NodeDirSink.open(dir);
    for (let i = 0; i < 40; i++) {
      const w = await sink.createWriter(`f${i}.txt`);
      await w.write(new TextEncoder().encode(`file ${i}`));
      await w.commit();
      if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve)); // let files created ahead land
    }
    for (let i = 0; i < 40; i++) expect(await readFile(join(dir, `f${i}.txt`), 'utf8')).toBe(`file ${i}`);
    releaseAll();
    await new Promise((resolve) => setImmediate(resolve));
    releaseAll(); // any still being created when the first release came are removed as they land
    expect(await staged(dir)).toEqual([]);
    expect([...stagedNow].filter((p) => p.startsWith(dir))).toEqual([]);
  });

  it('starts again when the staging folder is removed under a run: files created ahead there are not used', async () => {
    const dir = await tempDir();
    const sink = await NodeDirSink.open(dir);
    for (let i = 0; i < 20; i++) await (await sink.createWriter(`a${i}`)).commit();
    await new Promise((resolve) => setImmediate(resolve));
    await rm(join(dir, '.quintet', 'tmp'), { recursive: true });
    for (let i = 0; i < 20; i++) {
      const w = await sink.createWriter(`b${i}`);
      await w.write(Uint8Array.of(i));
      await w.commit();
    }
    for (let i = 0; i < 20; i++) expect([...(await readFile(join(dir, `b${i}`)))]).toEqual([i]);
    releaseAll();
    await new Promise((resolve) => setImmediate(resolve));
    releaseAll();
    expect(await staged(dir)).toEqual([]);
  });

  it('never hands a staged file that is already someone else’s: an abort removes only its own', async () => {
    const dir = await tempDir();
    const sink = await NodeDirSink.open(dir);
    const open = [];
    for (let i = 0; i < 20; i++) open.push(await sink.createWriter(`g${i}`));
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 20; i++) open.push(await sink.createWriter(`h${i}`));
    expect((await staged(dir)).length).toBeGreaterThanOrEqual(40); // one staged file each, whoever created it
    for (const [i, w] of open.entries()) {
      await w.write(Uint8Array.of(i));
      if (i % 2 === 0) await w.abort();
      else await w.commit();
    }
    for (const [i] of open.entries()) {
      const name = i < 20 ? `g${i}` : `h${i - 20}`;
      const got = await readFile(join(dir, name)).catch(() => null);
      expect(got === null ? null : [...got]).toEqual(i % 2 === 0 ? null : [i]);
    }
    releaseAll();
    await new Promise((resolve) => setImmediate(resolve));
    releaseAll();
    expect(await staged(dir)).toEqual([]);
  });
});
