/** Issue 6: block delta between two browsers — 1 MiB changed in the middle of a 200 MiB file moves ≤ 2 MiB, per the data channels' own statistics. */
import { test, expect } from '@playwright/test';
import { join, meshed, newMember, startSession } from './support/cloud-members.ts';
import { readTree, writeTree } from './support/opfs-tree.ts';
import { addFolder, inventory, synchronize, transferStats } from './support/cloud-run.ts';

const MiB = 1024 * 1024;
/** The file's size in MiB (200 by default; smaller to iterate). */
const SIZE = Number(process.env.QUINTET_DELTA_MIB ?? 200);

test('200 MiB file, then 1 MiB changed in its middle: the next run moves ≤ 2 MiB (RTCPeerConnection.getStats)', async ({ browser }) => {
  test.setTimeout(420_000);
  const [ma, mb] = [await newMember(browser, { name: 'alpha' }), await newMember(browser, { name: 'bravo' })];
  const [a, b] = [ma.page, mb.page];
  const { id, password } = await startSession(a);
  await join(b, id, password, 'B');
  for (const p of [a, b]) await meshed(p, 2);
  await writeTree(a, 'da', { 'big.bin': { size: SIZE * MiB, seed: 11 } });
  await writeTree(b, 'db', {});
  await addFolder(a, 'A', 'da');
  await addFolder(b, 'B', 'db');
  await expect(a.getByRole('region', { name: 'Member B' })).toContainText('B1');

  await inventory(a, [a, b]);
  const t0 = Date.now();
  await synchronize(a, [a, b], 'mirror', 'A1', 'B1', 300_000);
  const seconds = (Date.now() - t0) / 1000;
  const first = await transferStats(b);
  const received0 = Object.values(first.channels).reduce((n, c) => n + c.bytesReceived, 0);
  console.log(`[delta] first run: ${SIZE} MiB in ${seconds.toFixed(1)} s (${(SIZE / seconds).toFixed(1)} MiB/s end to end), channel bytes received by B ${received0}`);
  expect(received0).toBeGreaterThan(SIZE * MiB);

  // 1 MiB in the middle of the file, rewritten in place (same size).
  const mtime = () => a.evaluate(async () => (await (await (await (await navigator.storage.getDirectory()).getDirectoryHandle('da')).getFileHandle('big.bin')).getFile()).lastModified);
  const before = await mtime();
  // Rewritten as a new file: OPFS keeps lastModified on an in-place write, and Smart analysis trusts size + mtime.
  await a.evaluate(async ({ MiB, SIZE }) => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('da');
    const old = await (await dir.getFileHandle('big.bin')).getFile();
    const at = (SIZE / 2) * MiB + 12345;
    const edited = new Blob([old.slice(0, at), new Uint8Array(MiB).fill(42), old.slice(at + MiB)]);
    const w = await (await dir.getFileHandle('big-edited.bin', { create: true })).createWritable();
    await w.write(edited);
    await w.close();
    await dir.removeEntry('big.bin');
    await (await dir.getFileHandle('big-edited.bin') as unknown as { move(name: string): Promise<void> }).move('big.bin');
  }, { MiB, SIZE });
  console.log(`[delta] mtime ${before} → ${await mtime()}`);
  const expected = (await readTree(a, 'da', { skip: '.quintet' })).files['big.bin'];
  await inventory(a, [a, b]);
  await synchronize(a, [a, b], 'mirror', 'A1', 'B1', 300_000);
  const second = await transferStats(b);
  const received = Object.values(second.channels).reduce((n, c) => n + c.bytesReceived, 0) - received0;
  console.log(`[delta] second run: B's channels received ${received} bytes; pulled payload ${second.counters.pulledBytes - first.counters.pulledBytes}, reused ${second.counters.reusedBytes - first.counters.reusedBytes}`);
  expect(received).toBeLessThanOrEqual(2 * MiB);
  expect((await readTree(b, 'db', { skip: '.quintet' })).files['big.bin']).toBe(expected);
  for (const m of [ma, mb]) await m.context.close();
});
