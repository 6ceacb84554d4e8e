/** A cloud member's own folders: files a closed tab left staged in `.quintet/tmp/` are counted and removed on request. */
import { describe, expect, it } from 'vitest';
import { inMemoryWorld } from '../../signaling/testing/in-memory-world.ts';
import { until } from '../../signaling/testing/cloud-members.ts';
import { nodeCompressor } from '../../adapters/node/compressor.ts';
import { MemFs } from '../testing/memfs.ts';
import { MemoryStore } from '../testing/memory-store.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { CloudMember } from './member.ts';

describe('CloudMember leftovers', () => {
  it('counts what its own folders hold in .quintet/tmp/ when they are set, and removes only that', async () => {
    const world = inMemoryWorld();
    const A = await CloudMember.start({ deps: world.deps('A'), hasher: new NobleHasher(), store: new MemoryStore(), compressor: nodeCompressor });
    const staged = MemFs.from({ 'mine.txt': 'mine', '.quintet': { tmp: { 'k1.txt': 'half', 'k2.bin': 'written' }, versions: { r: { 'v.txt': 'kept' } } } }, { name: 'one' });
    const clean = MemFs.from({ 'x.txt': 'x' }, { name: 'two' });
    const seen: string[][] = [];
    A.on('leftovers.changed', (l) => seen.push(Object.entries(l).map(([id, f]) => `${id}:${f.files.length}:${f.bytes}`)));
    A.setSources([{ source: clean, id: 'two' }, { source: staged, id: 'one' }]);
    await until(() => seen.length > 0);
    expect(A.leftovers.one?.bytes).toBe(11);
    expect(seen.at(-1)).toEqual(['one:2:11']);
    expect(await A.removeLeftovers('one')).toEqual({ files: [], bytes: 0 });
    expect(A.leftovers).toEqual({});
    expect(Object.entries(staged.snapshot()).filter(([, v]) => v !== null).map(([p]) => p).sort()).toEqual(['.quintet/versions/r/v.txt', 'mine.txt']);
    await A.exit();
  });
});
