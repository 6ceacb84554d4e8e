import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from '../../signaling/testing/cloud-members.ts';
import type { WatchEvent } from '../../core/ports.ts';
import { NodeDirSink } from './node-dir-sink.ts';
import { nodeWatcher } from './fs-watcher.ts';

const timers = { after: (ms: number, fn: () => void) => { const t = setTimeout(fn, ms); return () => clearTimeout(t); } };

describe('nodeWatcher: fs.watch recursive on a real folder', () => {
  it('reports a file written deep in the tree with its relative path, and nothing once stopped', async () => {
    const root = mkdtempSync(join(tmpdir(), 'quintet-watch-'));
    try {
      mkdirSync(join(root, 'docs', 'deep'), { recursive: true });
      const sink = await NodeDirSink.open(root);
      const seen: WatchEvent[] = [];
      const stop = nodeWatcher(timers, (s) => (s instanceof NodeDirSink ? s.root : null)).watch(sink, (e) => seen.push(e));
      writeFileSync(join(root, 'docs', 'deep', 'new.txt'), 'hello');
      await until(() => seen.some((e) => e.kind === 'changed' && e.path === 'docs/deep/new.txt'));
      stop();
      const count = seen.length;
      writeFileSync(join(root, 'after.txt'), 'x');
      await new Promise((r) => setTimeout(r, 200)); // a stopped watcher has nothing to deliver; give a stray event room to show
      expect(seen.length).toBe(count);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a new folder is watched (what was made in it before, and after), a removed one is dropped, Quintet\'s own folder says nothing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'quintet-watch-'));
    try {
      mkdirSync(join(root, 'old'));
      mkdirSync(join(root, '.quintet'));
      const sink = await NodeDirSink.open(root);
      const seen: string[] = [];
      const stop = nodeWatcher(timers, (s) => (s instanceof NodeDirSink ? s.root : null)).watch(sink, (e) => seen.push(e.kind === 'changed' ? e.path : '?'));
      mkdirSync(join(root, 'new', 'sub'), { recursive: true });
      writeFileSync(join(root, 'new', 'sub', 'early.txt'), 'x');
      await until(() => seen.includes('new'));
      await until(() => seen.includes('new/sub/early.txt') || seen.includes('new/sub'));
      writeFileSync(join(root, 'new', 'sub', 'late.txt'), 'y'); // before or after its folder's watch began: either says it
      await until(() => seen.includes('new/sub/late.txt'));
      rmSync(join(root, 'old'), { recursive: true });
      await until(() => seen.includes('old'));
      writeFileSync(join(root, '.quintet', 'index.json'), '{}');
      writeFileSync(join(root, 'last.txt'), 'z');
      await until(() => seen.includes('last.txt'));
      expect(seen.filter((p) => p.includes('.quintet'))).toEqual([]);
      stop();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a folder removed and made again at once (rm -rf d && mkdir d, a checkout) is watched again: a file written in it later is told', async () => {
    const root = mkdtempSync(join(tmpdir(), 'quintet-watch-'));
    try {
      mkdirSync(join(root, 'd'));
      const sink = await NodeDirSink.open(root);
      const seen: string[] = [];
      const stop = nodeWatcher(timers, (s) => (s instanceof NodeDirSink ? s.root : null)).watch(sink, (e) => seen.push(e.kind === 'changed' ? e.path : '?'));
      rmSync(join(root, 'd'), { recursive: true });
      mkdirSync(join(root, 'd')); // often the same inode again
      await until(() => seen.includes('d'));
      await new Promise((r) => setTimeout(r, 300)); // the old watch's last word on its folder comes after the parent's
      writeFileSync(join(root, 'd', 'late.txt'), 'y');
      await until(() => seen.includes('d/late.txt'));
      stop();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('the folder itself removed ends the watch: an unknown change, then the rescan (no event named after the folder)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'quintet-watch-'));
    mkdirSync(join(root, 'sub'));
    const sink = await NodeDirSink.open(root);
    const seen: WatchEvent[] = [];
    const stop = nodeWatcher(timers, (s) => (s instanceof NodeDirSink ? s.root : null), 60_000).watch(sink, (e) => seen.push(e));
    rmSync(root, { recursive: true, force: true });
    await until(() => seen.some((e) => e.kind === 'unknown'));
    expect(seen.filter((e) => e.kind === 'changed' && !(e.path === 'sub' || e.path.startsWith('sub/'))), JSON.stringify(seen)).toEqual([]);
    stop();
  });
});
