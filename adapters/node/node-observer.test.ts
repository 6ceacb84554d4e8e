/** nodeObserver on real folders: what changes in them is told, a folder that goes away ends the observation. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { until } from '../../signaling/testing/cloud-members.ts';
import type { DirSource, WatchEvent } from '../../core/ports.ts';
import { NodeDirSink } from './node-dir-sink.ts';
import { nodeObserver } from './node-observer.ts';
import { nodeWatcher } from './fs-watcher.ts';
import { sharedWatchFolder } from './dir-watcher.ts';
import { removeTempDirs, seedDir, tempDir } from './temp-tree.ts';

const observer = nodeObserver((s) => (s instanceof NodeDirSink ? s.root : null));

/** Observes `root`: what was told, whether it went live, whether it was lost. */
async function observing(root: string) {
  const seen: WatchEvent[] = [];
  const state = { live: false, lost: false };
  const stop = observer.observe(await NodeDirSink.open(root), { onEvent: (e) => seen.push(e), onLive: () => (state.live = true), onLost: () => (state.lost = true) });
  if (!stop) throw new Error('not observed');
  await until(() => state.live);
  const paths = () => seen.map((e) => (e.kind === 'changed' ? e.path : '?'));
  return { seen, state, stop, paths };
}

describe('nodeObserver', () => {
  afterAll(removeTempDirs);

  it('tells a file made, changed and deleted in nested folders, by the time settle() resolves; nothing once stopped', async () => {
    const root = await tempDir();
    await seedDir(root, { docs: { deep: { 'report.txt': 'v1' }, 'old.txt': 'old' }, '.quintet': {} });
    const o = await observing(root);
    mkdirSync(join(root, 'new', 'sub'), { recursive: true });
    writeFileSync(join(root, 'new', 'sub', 'made.txt'), 'made');
    writeFileSync(join(root, 'docs', 'deep', 'report.txt'), 'v2, longer');
    rmSync(join(root, 'docs', 'old.txt'));
    writeFileSync(join(root, '.quintet', 'index.json'), '{}');
    await observer.settle?.();
    expect(o.paths()).toEqual(expect.arrayContaining(['new', 'docs/deep/report.txt', 'docs/old.txt']));
    // The new folder is watched from now on: a file made in it later is told with its path.
    await until(() => o.paths().includes('new/sub') || o.paths().includes('new/sub/made.txt'));
    writeFileSync(join(root, 'new', 'sub', 'later.txt'), 'later');
    await until(() => o.paths().includes('new/sub/later.txt'));
    expect(o.paths().filter((p) => p.includes('.quintet'))).toEqual([]);
    expect(o.state.lost).toBe(false);
    o.stop();
    const count = o.seen.length;
    writeFileSync(join(root, 'docs', 'after.txt'), 'x');
    await new Promise((r) => setTimeout(r, 200)); // a stopped observer has nothing to deliver; give a stray event room to show
    expect(o.seen.length).toBe(count);
  });

  it('a folder removed, or moved away, is lost (no rescan takes over)', async () => {
    const removed = await tempDir();
    await seedDir(removed, { sub: { 'a.txt': 'a' } });
    const r = await observing(removed);
    rmSync(removed, { recursive: true });
    await until(() => r.state.lost);

    const parent = await tempDir();
    mkdirSync(join(parent, 'folder'));
    const m = await observing(join(parent, 'folder'));
    renameSync(join(parent, 'folder'), join(parent, 'elsewhere'));
    await until(() => m.state.lost);
    // What happens there afterwards is not told as a change of the observed folder.
    const count = m.seen.length;
    writeFileSync(join(parent, 'elsewhere', 'b.txt'), 'b');
    await new Promise((r) => setTimeout(r, 200));
    expect(m.seen.length).toBe(count);
  });

  it('cannot observe a single-file source or a source without a folder on disk', async () => {
    const root = await tempDir();
    await seedDir(root, { 'one.txt': 'x' });
    const handlers = { onEvent: () => {}, onLive: () => {}, onLost: () => {} };
    expect(observer.observe(await NodeDirSink.open(join(root, 'one.txt')), handlers)).toBeNull();
    expect(observer.observe({ rootKind: 'directory' } as DirSource, handlers)).toBeNull();
    // A folder gone by the time it is observed: lost (observed again at the next inventory), not refused for good.
    const gone = join(root, 'gone');
    mkdirSync(gone);
    const sink = await NodeDirSink.open(gone);
    rmSync(gone, { recursive: true });
    let lost = false;
    expect(observer.observe(sink, { ...handlers, onLost: () => (lost = true) })).not.toBeNull();
    await until(() => lost);
  });

  it('shares its watches with the continuous watcher of the same folder: one fs.watch per directory between them', async () => {
    const root = await tempDir();
    await seedDir(root, { a: { deep: {} }, b: {} });
    const sink = await NodeDirSink.open(root);
    const rootOf = (s: DirSource) => (s instanceof NodeDirSink ? s.root : null);
    const watches = () => process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length;
    const watch = sharedWatchFolder();
    const before = watches();
    const told: string[] = [];
    const timers = { after: (ms: number, fn: () => void) => { const t = setTimeout(fn, ms); return () => clearTimeout(t); } };
    const stopWatcher = nodeWatcher(timers, rootOf, 60_000, watch).watch(sink, (e) => told.push(`watcher ${e.kind === 'changed' ? e.path : '?'}`));
    const opened = watches() - before;
    let live = false;
    const stopObserver = nodeObserver(rootOf, watch).observe(sink, { onEvent: (e) => told.push(`observer ${e.kind === 'changed' ? e.path : '?'}`), onLive: () => (live = true), onLost: () => {} });
    await until(() => live);
    expect(opened).toBeGreaterThan(0);
    expect(watches() - before).toBe(opened);
    writeFileSync(join(root, 'a', 'deep', 'one.txt'), '1');
    await until(() => told.includes('watcher a/deep/one.txt') && told.includes('observer a/deep/one.txt'));
    stopWatcher();
    writeFileSync(join(root, 'b', 'two.txt'), '2');
    await until(() => told.includes('observer b/two.txt'));
    expect(told).not.toContain('watcher b/two.txt');
    stopObserver?.();
    await until(() => watches() === before);
  });
});
