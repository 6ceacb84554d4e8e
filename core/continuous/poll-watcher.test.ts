import { describe, expect, it } from 'vitest';
import { MemFs } from '../testing/memfs.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import type { WatchEvent } from '../ports.ts';
import { pollWatcher, scanSignature } from './poll-watcher.ts';

/** Lets a pass's awaits (MemFs yields a turn per call) run out. */
const drain = async () => {
  for (let i = 0; i < 200; i++) await new Promise((r) => setImmediate(r));
};

describe('pollWatcher: the periodic rescan every platform falls back to', () => {
  it('reports a difference in names, sizes or mtimes once per pass, nothing when quiet or after it stopped', async () => {
    const clock = new ManualClock(0);
    const fs = MemFs.from({ 'a.txt': 'a', docs: { 'b.txt': 'b' } });
    const seen: WatchEvent[] = [];
    const stop = pollWatcher(clock, 1000).watch(fs, (e) => seen.push(e));
    await drain(); // the first pass sets the reference
    clock.advance(1000);
    await drain();
    expect(seen).toEqual([]);
    fs.writeFile('docs/c.txt', 'new');
    clock.advance(1000);
    await drain();
    expect(seen).toEqual([{ kind: 'unknown' }]);
    fs.writeFile('a.txt', 'a', 123); // same bytes, another mtime: the inventory decides whether it is a change
    clock.advance(1000);
    await drain();
    expect(seen).toHaveLength(2);
    stop();
    fs.delete('a.txt');
    clock.advance(5000);
    await drain();
    expect(seen).toHaveLength(2);
  });

  it('Quintet’s own folder is not part of the signature', async () => {
    const fs = MemFs.from({ 'a.txt': 'a' });
    const before = await scanSignature(fs);
    fs.writeFile('.quintet/tmp/staged', 'x');
    expect(await scanSignature(fs)).toBe(before);
    fs.writeFile('b.txt', 'b');
    expect(await scanSignature(fs)).not.toBe(before);
  });
});
