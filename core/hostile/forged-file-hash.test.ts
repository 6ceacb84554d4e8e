/**
 * A member lists a file whose file hash is not the hash of its block list: its own bytes (blocks it serves honestly)
 * under another file's hash, here the hash of C's `report.txt`. The leader's comparison then sees B1 and C1 agree on
 * `report.txt`, and a receiver checked each block against B's list only. A receiver whose writer vouches for its
 * bytes (the Node member) wrote B's bytes and recorded them in its index under C's hash: its inventories said from
 * then on that it held C's file, no conflict was ever shown and no later round replaced it (security.md, table 19).
 */
import { describe, expect, it } from 'vitest';
import { MemFs } from '../testing/memfs.ts';
import { decodeInventories, encodeInventories } from '../transfer/compact-inventory.ts';
import { leaderPlan, memberShare, ownInventory, sentBy, wired } from './peer-run.ts';

/** A's folder with a writer that vouches for what it committed, as the Node member's does (no read-back). */
function vouching(fs: MemFs): MemFs {
  const create = fs.createWriter.bind(fs);
  fs.createWriter = async (path) => {
    const writer = await create(path);
    return { ...writer, commit: async () => (await writer.commit(), fs.stat(path)) };
  };
  return fs;
}

describe('hostile member: a file hash that is not its blocks’ hash', () => {
  it('the copy is refused before anything is written, whatever the writer', async () => {
    const forged = 'B wrote this, pretending to be C’s report';
    for (const writer of ['vouching', 'read back'] as const) {
      const a = new MemFs({ name: 'A' });
      const sink = writer === 'vouching' ? vouching(a) : a;
      const b = MemFs.from({ 'report.txt': forged }, { name: 'B' });
      const c = MemFs.from({ 'report.txt': 'the report as C wrote it' }, { name: 'C' });
      const [cInv] = (await sentBy('C', [c]))!;
      const cHash = (cInv!.items.find((i) => i.path === 'report.txt') as { hash: string }).hash;
      // B's wire inventory: its own bytes and blocks, C's file hash.
      const own = await ownInventory(b, 'B1');
      const lie = wired(encodeInventories([own])) as [string, string, string, string, unknown[][], string[]][];
      (lie[0]![4].find((item) => item[0] === 'report.txt') as unknown[])[5] = cHash;
      const bInv = decodeInventories(lie, 'B', 0)!.map((s) => s.inventory);
      const [aInv] = (await sentBy('A', [a]))!;
      const inventories = [aInv!, ...bInv, cInv!];
      const plan = leaderPlan(inventories, { kind: 'mirror', from: 'B1', to: 'A1' });
      const share = await memberShare(new Map([['A1', sink]]), inventories, plan, new Map([['B1', b], ['C1', c]]));
      expect(share!.result.done, writer).toEqual([]);
      expect(share!.result.failed.map((f) => [f.code, f.message]), writer).toEqual([['corrupt', expect.stringMatching(/file hash/)]]);
      expect(a.readFile('report.txt'), writer).toBeUndefined();
      expect(Object.keys(a.snapshot({ under: '.quintet' })), writer).toEqual([]);
    }
  });
});
