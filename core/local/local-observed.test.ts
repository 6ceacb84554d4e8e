import { describe, expect, it } from 'vitest';
import { createLocalSession } from './local-session.ts';
import { MemFs } from '../testing/memfs.ts';
import { MemoryStore } from '../testing/memory-store.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import { ManualObserver } from '../testing/manual-observer.ts';
import { WHOLE_WALK_MAX_MS } from '../inventory/watched-walks.ts';
import { DEFAULT_SETTINGS } from '../settings/settings.ts';

/** A session with one observed source of 30 files in 3 folders, its observer live, first inventory done. */
async function observed(options: { live?: boolean } = {}) {
  const clock = new ManualClock(1_000_000);
  const observer = new ManualObserver();
  const session = createLocalSession({ hasher: new NobleHasher(), store: new MemoryStore(), clock, observer });
  const tree: Record<string, Record<string, string>> = {};
  for (const d of ['a', 'b', 'c']) tree[d] = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}.txt`, `${d}${i}`]));
  const fs = MemFs.from(tree);
  session.addSource({ source: fs, id: 'x' });
  if (options.live !== false) observer.live(fs);
  await session.runInventory();
  return { session, fs, observer, clock };
}

const fileOf = (session: ReturnType<typeof createLocalSession>, path: string) => {
  const item = session.inventories[0]?.items.find((i) => i.path === path);
  return item?.kind === 'file' ? item : undefined;
};
const hashOf = (session: ReturnType<typeof createLocalSession>, path: string) => fileOf(session, path)?.hash;
const paths = (session: ReturnType<typeof createLocalSession>) => session.inventories[0]?.items.map((i) => i.path) ?? [];

describe('Local Session inventories with an observer (docs/protocol.md §3.1)', () => {
  it('the first inventory walks whole; the next looks again only at what the observer reported, and sees it', async () => {
    const { session, fs, observer } = await observed();
    expect(session.walkOf('A1')).toBe('whole');
    const before = hashOf(session, 'a/f1.txt');
    fs.writeFile('a/f1.txt', 'edited outside');
    fs.writeFile('b/new.txt', 'new');
    fs.delete('c/f2.txt');
    for (const p of ['a/f1.txt', 'b/new.txt', 'c/f2.txt']) observer.changed(fs, p);
    const stats = { ...fs.counts };
    await session.runInventory();
    expect(session.walkOf('A1')).toBe('partial');
    // Three folders listed again and two files stat'ed, where a whole walk stats all 30; and `.quintet/tmp/` listed
    // for what a closed tab left staged there (core/versions/staging.ts).
    expect(fs.counts.stat - stats.stat).toBe(2);
    expect(fs.counts.list - stats.list).toBe(4);
    expect(hashOf(session, 'a/f1.txt')).not.toBe(before);
    expect(paths(session)).toContain('b/new.txt');
    expect(paths(session)).not.toContain('c/f2.txt');
    expect(session.inventories[0]?.stats.files).toBe(30);
  });

  it('waits for the observer to settle before trusting it: a record that arrives late is still looked at', async () => {
    const { session, fs, observer } = await observed();
    const settled = observer.settles;
    fs.writeFile('c/f7.txt', 'edited just before the inventory');
    observer.late.push(() => observer.changed(fs, 'c/f7.txt'));
    await session.runInventory();
    expect(observer.settles).toBe(settled + 1);
    expect(session.walkOf('A1')).toBe('partial');
    expect(fileOf(session, 'c/f7.txt')?.size).toBe('edited just before the inventory'.length);
  });

  it('trusts the observer: a change it did not report waits for a whole walk, asked for or hourly', async () => {
    const { session, fs, clock } = await observed();
    const before = hashOf(session, 'b/f3.txt');
    fs.writeFile('b/f3.txt', 'missed by the observer');
    await session.runInventory();
    expect(session.walkOf('A1')).toBe('partial');
    expect(hashOf(session, 'b/f3.txt')).toBe(before);
    // Asked for (a folder on a network share, changed from elsewhere), a whole walk sees it at once.
    await session.runInventory({ whole: true });
    expect(session.walkOf('A1')).toBe('whole');
    expect(hashOf(session, 'b/f3.txt')).not.toBe(before);
    fs.writeFile('b/f4.txt', 'missed again');
    await session.runInventory();
    expect(session.walkOf('A1')).toBe('partial');
    clock.advance(WHOLE_WALK_MAX_MS);
    await session.runInventory();
    expect(session.walkOf('A1')).toBe('whole');
    expect(fileOf(session, 'b/f4.txt')?.size).toBe('missed again'.length);
  });

  it('walks whole when the observer was not live for the last walk, said "unknown", or was lost (then observes again)', async () => {
    const late = await observed({ live: false });
    late.observer.live(late.fs); // live only after the first walk began: that walk vouches for nothing
    await late.session.runInventory();
    expect(late.session.walkOf('A1')).toBe('whole');
    await late.session.runInventory();
    expect(late.session.walkOf('A1')).toBe('partial');

    const { session, fs, observer } = await observed();
    observer.unknown(fs);
    await session.runInventory();
    expect(session.walkOf('A1')).toBe('whole');

    observer.lose(fs);
    fs.writeFile('a/f0.txt', 'while nobody watched');
    await session.runInventory();
    expect(session.walkOf('A1')).toBe('whole');
    expect(fileOf(session, 'a/f0.txt')?.size).toBe('while nobody watched'.length);
    expect(observer.started.filter((e) => !e.stopped)).toHaveLength(1); // observed again
    observer.live(fs);
    await session.runInventory();
    expect(session.walkOf('A1')).toBe('whole'); // the walk before began unobserved
    await session.runInventory();
    expect(session.walkOf('A1')).toBe('partial');
  });

  it('walks whole under other exclusion settings, in checksum analysis, and after a failed inventory', async () => {
    const { session, fs, observer } = await observed();
    session.setSettings({ ...DEFAULT_SETTINGS, exclusionPatterns: ['*.tmp'] });
    await session.runInventory();
    expect(session.walkOf('A1')).toBe('whole');
    await session.runInventory();
    expect(session.walkOf('A1')).toBe('partial');
    session.setSettings({ ...session.settings, analysisMode: 'checksum' });
    await session.runInventory();
    expect(session.walkOf('A1')).toBe('whole');
    session.setSettings({ ...session.settings, analysisMode: DEFAULT_SETTINGS.analysisMode });
    await session.runInventory();
    fs.writeFile('a/f5.txt', 'edited');
    observer.changed(fs, 'a/f5.txt');
    const cancel = new AbortController();
    cancel.abort();
    await expect(session.runInventory({ signal: cancel.signal })).rejects.toThrow();
    await session.runInventory();
    expect(session.walkOf('A1')).toBe('whole');
    expect(fileOf(session, 'a/f5.txt')?.size).toBe(6);
  });

  it('what a synchronization wrote is looked at again even if the observer reports none of it', async () => {
    const { session, fs, observer } = await observed();
    const y = MemFs.from({ a: { 'f1.txt': 'old' }, gone: 'x' });
    session.addSource({ source: y, id: 'y' });
    observer.live(y);
    await session.runInventory();
    await session.runInventory();
    expect(session.walkOf('A2')).toBe('partial');
    await session.synchronize(session.planPreset({ kind: 'mirror', from: 'A1', to: 'A2' }));
    await session.runInventory();
    expect(session.walkOf('A2')).toBe('partial');
    expect(session.comparison?.rows.every((r) => r.status === 'identical')).toBe(true);
    expect(session.inventories[1]?.stats.files).toBe(30);
    expect(fs.counts.remove).toBe(0);
  });

  it('without an observer, or for a source the platform cannot observe, every inventory walks whole; removing a source stops its observer', async () => {
    const clock = new ManualClock();
    const plain = createLocalSession({ hasher: new NobleHasher(), store: new MemoryStore(), clock });
    plain.addSource({ source: MemFs.from({ a: '1' }), id: 'p' });
    await plain.runInventory();
    await plain.runInventory();
    expect(plain.walkOf('A1')).toBe('whole');

    const observer = new ManualObserver();
    const session = createLocalSession({ hasher: new NobleHasher(), store: new MemoryStore(), clock, observer });
    const refused = MemFs.from({ a: '1' });
    observer.refused.add(refused);
    session.addSource({ source: refused, id: 'r' });
    await session.runInventory();
    await session.runInventory();
    expect(session.walkOf('A1')).toBe('whole');
    const other = MemFs.from({ b: '2' });
    session.addSource({ source: other, id: 'o' });
    expect(observer.started.map((e) => e.stopped)).toEqual([false]);
    session.removeSource('A2');
    expect(observer.started.map((e) => e.stopped)).toEqual([true]);
    session.addSource({ source: MemFs.from({ c: '3' }), id: 'c' });
    session.dispose();
    expect(observer.started.map((e) => e.stopped)).toEqual([true, true]);
  });
});
