import { describe, expect, it } from 'vitest';
import { MemFs } from '../testing/memfs.ts';
import { patternBytes } from '../testing/bytes.ts';
import { copyTree, keepVersion } from '../transfer/versions.ts';
import { decodeInventories, encodeInventories } from '../transfer/compact-inventory.ts';
import type { FileItem } from '../inventory/types.ts';
import { memberShare, ownInventory, ROUND, sentBy, wired } from './peer-run.ts';

const RUN = '20240101-000000';
/** Stop the copy without end on the base code: writes past this many bytes fail with no-space, paths past 1,024 characters. */
const CAPACITY = 64 * 1024;
const MAX_PATH = 1024;
/** A target whose platform moves nothing in one step (the browser's directory move is copy then remove). */
const target = (caseInsensitive = false) =>
  MemFs.from({ '.quintet': { versions: { [RUN]: { 'report.txt': patternBytes(16 * 1024, 1) } } }, 'a': { 'b.txt': 'b' } }, { name: 'B', move: false, capacityBytes: CAPACITY, maxPathLength: MAX_PATH, caseInsensitive });
const history = (fs: MemFs) => fs.snapshot({ under: '.quintet' });

describe('hostile member — finding 2: versions are never kept inside themselves', () => {
  it.each([
    ['.quintet', 'directory', false],
    ['.quintet/versions', 'directory', false],
    [`.quintet/versions/${RUN}`, 'directory', false],
    [`.quintet/versions/${RUN}/report.txt`, 'file', false],
    ['.Quintet', 'directory', true],
    ['.QUINTET/versions', 'directory', true],
  ] as const)('keepVersion refuses %j (%s) at once and writes nothing', async (path, kind, caseInsensitive) => {
    const fs = target(caseInsensitive);
    const before = history(fs);
    const error = await keepVersion(fs, '20240115-120000', path, kind).then(() => null, (e: unknown) => e);
    expect(fs.counts.write).toBe(0); // on the base code: writes until the sink is full
    expect(history(fs)).toEqual(before);
    expect(error).toMatchObject({ name: 'FsError', code: 'invalid-name' });
  });

  it('copyTree refuses to copy a tree into its own subtree, also across case on a case-insensitive sink', async () => {
    const fs = target(true);
    const error = await copyTree(fs, 'a', 'A/kept/a', 'directory').then(() => null, (e: unknown) => e);
    expect(fs.counts.write).toBe(0);
    expect(Object.keys(fs.snapshot({ under: 'a' }))).toEqual(['b.txt']);
    expect(error).toMatchObject({ name: 'FsError', code: 'invalid-name' });
  });

  it('a peer listing a file named .quintet, or a leader deleting .quintet, starts no copy on the target', async () => {
    const b = target();
    const before = history(b);
    const peer = MemFs.from({ 'x.txt': 'payload' }, { name: 'A' });
    const own = await ownInventory(peer, 'A1');
    const file = own.inventory.items[0] as FileItem;
    const forged = [{ ...own, inventory: { ...own.inventory, items: [{ ...file, path: '.quintet' }] } }];
    expect(decodeInventories(wired(encodeInventories(forged)), 'A', 0)).toBeNull();

    const inventories = [...((await sentBy('A', [peer])) ?? []), (await ownInventory(b, 'B1')).inventory];
    const plan = {
      inventoryRun: ROUND,
      actions: [['d', 'B1', '.quintet', 'directory'], ['c', 'A1', 'B1', 'x.txt', '.quintet', file.hash, 'directory', false]],
      conflicts: [],
    };
    const share = await memberShare(new Map([['B1', b]]), inventories, plan, new Map([['A1', peer]]));
    expect(b.counts.write).toBe(0);
    expect(history(b)).toEqual(before);
    expect(share?.result.failed.map((f) => f.code)).toEqual(['plan-mismatch', 'plan-mismatch']);
  });
});
