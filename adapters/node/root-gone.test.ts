/**
 * A target folder removed, or its disk unmounted (the mount point is then another, empty folder), after the member
 * opened it: a run must not make it again and fill it with the others' files (filling the system disk, and leaving
 * the next inventory a few files where a tree stood, the rest read as deleted and carried to the others).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { NodeDirSink } from './node-dir-sink.ts';
import { removeTempDirs, seedDir, tempDir } from './temp-tree.ts';
import { createLocalSession } from '../../core/local/local-session.ts';
import { NobleHasher } from '../../core/testing/noble-hasher.ts';
import { MemoryStore } from '../../core/testing/memory-store.ts';
import { ManualClock } from '../../core/testing/manual-clock.ts';

afterAll(removeTempDirs);

const exists = (path: string) => readdir(path).then(() => true, () => false);

async function mirrorOnto(change: (target: string) => Promise<void>) {
  const [a, b] = [await tempDir(), await tempDir()];
  await seedDir(a, { 'top.txt': 'top', docs: { 'a.txt': 'a', deep: { 'b.txt': 'b' } } });
  await seedDir(b, { 'old.txt': 'old' });
  const session = createLocalSession({ hasher: new NobleHasher(), store: new MemoryStore(), clock: new ManualClock() });
  session.addSource({ source: await NodeDirSink.open(a), id: 'a' });
  session.addSource({ source: await NodeDirSink.open(b), id: 'b' });
  await session.runInventory();
  const plan = session.planPreset({ kind: 'mirror', from: 'A1', to: 'A2' });
  expect(plan.summary).toMatchObject({ copies: 3, directories: 2, deletions: 1 });
  await change(b);
  return { b, result: await session.synchronize(plan) };
}

const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);

describe('a target folder gone or replaced since it was opened', () => {
  it('removed mid-run: neither a folder nor a file makes it again', async () => {
    const b = await tempDir();
    await seedDir(b, { docs: { 'a.txt': 'a' } });
    const sink = await NodeDirSink.open(b);
    await rm(b, { recursive: true });
    expect(await code(sink.mkdir('new/deep'))).toBe('not-found');
    expect(await code(sink.mkdir('.quintet/versions/run/docs'))).toBe('not-found');
    expect(await code(sink.createWriter('top.txt'))).toBe('not-found');
    expect(await exists(b)).toBe(false);
  });

  it('replaced by another, empty folder (a disk unmounted): nothing is written there, in a run or by the sink', async () => {
    const away = await tempDir();
    const { b, result } = await mirrorOnto(async (b) => {
      await rename(b, join(away, 'disk'));
      await mkdir(b);
    });
    // old.txt's deletion fails too: it is not gone, its disk is (it counted as done, the base then saying it deleted).
    expect(result.failures.map((f) => [f.action.path, f.code]).sort()).toEqual([['docs', 'not-found'], ['docs/a.txt', 'not-found'], ['docs/deep', 'not-found'], ['docs/deep/b.txt', 'not-found'], ['old.txt', 'not-found'], ['top.txt', 'not-found']]);
    expect(await readdir(b)).toEqual([]);
    expect((await readdir(join(away, 'disk'))).sort()).toEqual(['old.txt']);
    const sink = await NodeDirSink.open(away); // opened now: its own root is the folder it is
    expect(await code(sink.mkdir('made'))).toBe('ok');
  });
});
