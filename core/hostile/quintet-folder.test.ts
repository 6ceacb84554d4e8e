import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { MemFs } from '../testing/memfs.ts';
import { NobleHasher } from '../testing/noble-hasher.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import { utf8 } from '../testing/bytes.ts';
import { decodeInventories, encodeInventories } from '../transfer/compact-inventory.ts';
import { applyPlan } from '../transfer/apply.ts';
import { BlocksGetMessage } from '../protocol/run-messages.ts';
import type { FileItem } from '../inventory/types.ts';
import type { Plan } from '../plan/types.ts';
import { leaderPlan, memberShare, ownInventory, ROUND, sentBy, wired } from './peer-run.ts';

const RUN = '20240101-000000';
const HISTORY = `.quintet/versions/${RUN}/report.txt`;
/** B: a case-insensitive member (Windows, macOS) with one run of history. */
const memberB = () => MemFs.from({ '.quintet': { versions: { [RUN]: { 'report.txt': "B's history" } } }, 'notes.txt': 'b' }, { name: 'B', caseInsensitive: true });
const historyOf = (b: MemFs) => new TextDecoder().decode(b.readFile(HISTORY));

/** Spellings of B's history folder that some file system opens as `.quintet`. */
const SPELLINGS = ['.quintet', '.Quintet', '.QUINTET', '.quintet.', '.quintet ', '.quin\u200ctet', '.quınteT', '\uff0equintet', '.quintet::$INDEX_ALLOCATION', 'QUINTE~1'];

describe('hostile member — finding 1: Quintet\'s own folder is unreachable from peer input', () => {
  it('an honest case-sensitive member holding .Quintet/versions/… does not overwrite a case-insensitive member\'s history in two-way', async () => {
    const a = MemFs.from({ '.Quintet': { versions: { [RUN]: { 'report.txt': "A's unrelated file" } } }, 'notes.txt': 'a' }, { name: 'A' });
    const b = memberB();
    const fromA = await sentBy('A', [a]);
    const inventories = [...(fromA ?? []), (await ownInventory(b, 'B1')).inventory];
    const share = await memberShare(new Map([['B1', b]]), inventories, leaderPlan(inventories, { kind: 'two-way' }), new Map([['A1', a]]));
    expect(historyOf(b)).toBe("B's history");
    expect(share?.result.failed).toEqual([]);
    expect(fromA?.[0]?.items.map((i) => i.path)).toEqual(['notes.txt']); // A's walk leaves .Quintet out too
    expect(Object.keys(b.snapshot({ under: '.quintet/versions' })).filter((p) => p.toLowerCase().includes('quintet'))).toEqual([]);
  });

  it.each(SPELLINGS)('refuses an inventory listing %j/versions/… (the whole message)', async (spelling) => {
    const liar = await ownInventory(MemFs.from({ 'x.txt': 'payload' }), 'A1');
    const item = liar.inventory.items[0] as FileItem;
    const forged = [{ ...liar, inventory: { ...liar.inventory, items: [{ ...item, path: `${spelling}/versions/${RUN}/report.txt` }] } }];
    expect(decodeInventories(wired(encodeInventories(forged)), 'A', 0)).toBeNull();
    // Nested: a folder inside the source that is itself a source keeps its own history there.
    const nested = [{ ...liar, inventory: { ...liar.inventory, items: [{ ...item, path: `photos/${spelling}/versions/x` }] } }];
    expect(decodeInventories(wired(encodeInventories(nested)), 'A', 0)).toBeNull();
  });

  it('a hostile leader\'s plan writing, creating or deleting in .quintet/ is refused by the target\'s own check; its history stays', async () => {
    const a = MemFs.from({ 'x.txt': 'payload' }, { name: 'A' });
    const b = memberB();
    const inventories = [...((await sentBy('A', [a])) ?? []), (await ownInventory(b, 'B1')).inventory];
    const x = inventories[0]?.items[0] as FileItem;
    const plan = wired({
      inventoryRun: ROUND,
      actions: [
        ['c', 'A1', 'B1', 'x.txt', HISTORY, x.hash, 'file', false],
        ['c', 'A1', 'B1', 'x.txt', `.QUINTET/versions/${RUN}/report.txt`, x.hash, 'file', false],
        ['m', 'B1', '.Quintet/versions/new'],
        ['d', 'B1', '.quintet.', 'directory'],
        ['c', 'A1', 'B1', 'x.txt', 'ok.txt', x.hash, '', false],
      ],
      conflicts: [],
    });
    const share = await memberShare(new Map([['B1', b]]), inventories, plan, new Map([['A1', a]]));
    expect(share?.resolved.actions.map((act) => act !== null)).toEqual([false, false, false, false, true]);
    expect(share?.result.failed.map((f) => [f.i, f.code])).toEqual([[0, 'plan-mismatch'], [1, 'plan-mismatch'], [2, 'plan-mismatch'], [3, 'plan-mismatch']]);
    expect(share?.result.done).toEqual([4]);
    expect(historyOf(b)).toBe("B's history");
    expect(b.readFile('.quintet/versions/new')).toBeUndefined();
    expect(b.snapshot({ under: '.quintet/versions/new' })).toEqual({});
  });

  it('apply refuses any action on .quintet/ under folding, whatever plan reaches it', async () => {
    const b = memberB();
    const a = MemFs.from({ 'x.txt': 'payload' });
    const x = (await ownInventory(a, 'A1')).inventory.items[0] as FileItem;
    const plan: Plan = {
      actions: [
        { type: 'copy', from: 'A1', target: 'B1', path: 'x.txt', targetPath: `.Quintet/versions/${RUN}/report.txt`, size: x.size, hash: x.hash, blockSize: x.blockSize, blocks: x.blocks, replaces: 'file' },
        { type: 'delete', target: 'B1', path: '.QUINTET', kind: 'directory' },
      ],
      refusals: [],
      summary: { copies: 1, overwrites: 1, directories: 0, deletions: 1, bytes: x.size },
    };
    const result = await applyPlan({ plan, sources: new Map([['A1', a], ['B1', b]]), hasher: new NobleHasher(), clock: new ManualClock(), runId: 'r' });
    expect(historyOf(b)).toBe("B's history");
    expect(result.failures.map((f) => f.code)).toEqual(['invalid-name', 'invalid-name']);
    expect(b.readFile(HISTORY)).toEqual(utf8("B's history"));
  });

  it('a block request for a path in .quintet/ does not pass the message check', () => {
    const request = { type: 'blocks-get', v: 1, run: 's1', req: 1, source: 'B1', path: HISTORY, hash: 'a'.repeat(64), size: 11, blockSize: 131072, indices: [0], hashes: ['a'.repeat(64)] };
    expect(v.safeParse(BlocksGetMessage, { ...request, path: 'notes.txt' }).success).toBe(true);
    for (const spelling of SPELLINGS) expect(v.safeParse(BlocksGetMessage, { ...request, path: `${spelling}/versions/${RUN}/report.txt` }).success).toBe(false);
  });
});
