import { describe, expect, it } from 'vitest';
import { inMemoryWorld } from '../../../signaling/testing/in-memory-world.ts';
import { until } from '../../../signaling/testing/cloud-members.ts';
import { nodeCompressor } from '../../../adapters/node/compressor.ts';
import { joinCloudSession, startCloudSession } from '../join/cloud-start.ts';
import { CloudRun } from './cloud-run.ts';
import { fromBlob } from '../../transfer/blob-parts.ts';
import { MemFs } from '../../testing/memfs.ts';
import { MemoryStore } from '../../testing/memory-store.ts';
import { NobleHasher } from '../../testing/noble-hasher.ts';
import type { BlobDecoder } from '../../ports.ts';

/**
 * B's copy of A's first inventories lacks one file, as if a blob had been taken wrong: A's next delta does not apply
 * on it (the digests differ), B asks for A's whole inventories and compares what everyone else does.
 */
describe('inventory deltas over the mesh (§12): a receiver whose copy differs falls back to whole inventories', () => {
  it('asks inventory-full once, gets A\'s whole inventories of that round, and ends with the same comparison as A', async () => {
    const world = inMemoryWorld();
    const clock = { now: () => Date.now() };
    let spoiled = 0;
    // Drops 'extra.txt' from the first whole inventories of A that B decodes (a valid blob: only the copy is wrong).
    const spoiling: BlobDecoder = {
      decode: async (bytes) => {
        const value = await fromBlob(bytes, nodeCompressor);
        if (spoiled === 0 && Array.isArray(value) && value[0]?.[0] === 'A1') {
          spoiled++;
          value[0][4] = (value[0][4] as unknown[][]).filter((item) => item[0] !== 'extra.txt');
        }
        return value;
      },
    };
    const a = MemFs.from({ 'one.txt': 'one', 'extra.txt': 'extra' }, { name: 'A' });
    const b = MemFs.from({ 'one.txt': 'one' }, { name: 'B' });
    const sa = await startCloudSession(world.deps('a'));
    const sb = await joinCloudSession(world.deps('b'), { sessionId: sa.sessionId, password: sa.password });
    const A = new CloudRun({ session: sa, hasher: new NobleHasher(), store: new MemoryStore(), clock, compressor: nodeCompressor });
    const B = new CloudRun({ session: sb, hasher: new NobleHasher(), store: new MemoryStore(), clock, compressor: nodeCompressor, decoder: spoiling });
    A.setSources([{ source: a, id: 'src-a' }]);
    B.setSources([{ source: b, id: 'src-b' }]);
    sa.setSources([{ name: 'A', kind: 'directory' }]);
    sb.setSources([{ name: 'B', kind: 'directory' }]);
    await until(() => [sa, sb].every((s) => s.members.length === 2 && s.members.every((m) => m.connected && (m.features ?? []).length > 0)));
    const problems: string[] = [];
    B.on('problem', (p) => problems.push(p));
    const round = async (run: string) => {
      await sa.startInventory(run, 'changed');
      await until(() => [A, B].every((r) => r.state === 'compared'));
    };

    await round('i1'); // no earlier inventories: whole ones, and B's copy of A's is spoiled
    expect(spoiled).toBe(1);
    expect(JSON.stringify(B.comparison)).not.toBe(JSON.stringify(A.comparison));
    b.writeFile('two.txt', 'two');
    await round('i2');
    expect(A.deltas).toMatchObject({ sent: 1, onRequest: 1, applied: 1, fallbacks: 0 });
    expect(B.deltas).toMatchObject({ sent: 1, onRequest: 0, applied: 0, fallbacks: 1 });
    expect(JSON.stringify(B.comparison)).toBe(JSON.stringify(A.comparison));
    expect(B.comparison?.rows.map((r) => r.path).sort()).toEqual(['extra.txt', 'one.txt', 'two.txt']);
    expect(problems).toEqual([]); // another base is no fault: nothing to report, only the whole inventories to ask for

    // From that copy on, deltas apply again.
    a.writeFile('three.txt', 'three');
    await round('i3');
    expect(B.deltas).toMatchObject({ applied: 1, fallbacks: 1 });
    expect(JSON.stringify(B.comparison)).toBe(JSON.stringify(A.comparison));
    for (const s of [sa, sb]) await s.exit();
  }, 60_000);
});
