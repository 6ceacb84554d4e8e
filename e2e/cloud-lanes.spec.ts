/**
 * Lanes in the browser (issue 16, docs/protocol.md §8): pages forced to extra peer connections per peer send and receive
 * block pieces over all of them, between two pages and between a page and a `quintet` process (three lanes each way),
 * byte for byte.
 */
import { test, expect, type Page } from '@playwright/test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { join as joinPage, meshed, newMember, startSession, pickWritable } from './support/cloud-members.ts';
import { readTree, writeTree, type TreeSpec } from './support/opfs-tree.ts';
import { addFolder, inventory, synchronize } from './support/cloud-run.ts';
import { readDiskTree } from './support/disk-tree.ts';
import { laneBytes, spawnQuintet, type CliProcess } from '../cli/cli-process.ts';

const server = `http://localhost:${Number(process.env.E2E_PORT ?? 8797)}`;
const running: CliProcess[] = [];
const temps: string[] = [];
/** The page's console lines in the page <-> quintet test, printed if it fails. */
const pageLog: string[] = [];

/** Six 1 MB files (pieces of several blocks each) and forty small text files: about 6.1 MB. */
function filesOf(seed: number): { spec: TreeSpec; bytes: number } {
  const spec: TreeSpec = {};
  let bytes = 0;
  for (let f = 0; f < 6; f++) {
    spec[`big/f${f}.bin`] = { size: 1_000_000 + f * 17, seed: seed + f };
    bytes += 1_000_000 + f * 17;
  }
  for (let f = 0; f < 40; f++) {
    const text = `small ${seed} ${f} `.repeat(50 + f);
    spec[`small/s${f}.txt`] = { text };
    bytes += text.length;
  }
  return { spec, bytes };
}

/** What a page's mesh received per lane (`0`, `in-1`…) since it started (core/mesh/mesh.ts `received`). */
const pageLanes = (page: Page) => page.evaluate(() => ({ ...(window as unknown as { __quintetCloud: { session: { mesh: { received: Record<string, number> } } } }).__quintetCloud.session.mesh.received }));

/** Lanes 1…`lanes` each carried a real share of `bytes` since `before` (their counts then). */
function expectEveryLane(before: Record<string, number>, after: Record<string, number>, bytes: number, what: string, lanes = 3): void {
  for (const lane of Array.from({ length: lanes }, (_, i) => `in-${i + 1}`)) expect((after[lane] ?? 0) - (before[lane] ?? 0), `${what}: ${lane} of ${JSON.stringify(after)}`).toBeGreaterThan(bytes / 50);
}

// eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures from an object pattern
test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus) for (const p of running) console.log(`--- quintet stdout\n${p.stdout()}\n--- stderr\n${p.stderr()}`);
  if (info.status !== info.expectedStatus && pageLog.length > 0) console.log(`--- page console\n${pageLog.join('\n')}`);
  pageLog.length = 0;
  await Promise.all(running.splice(0).map((p) => p.interrupt()));
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

test('two pages forced to 3 lanes each: Mirror A1 → B1 then B1 → A1, every lane carries pieces both ways, byte for byte', async ({ browser }) => {
  test.setTimeout(300_000);
  const [ma, mb] = [await newMember(browser, { name: 'alpha', lanes: 3 }), await newMember(browser, { name: 'bravo', lanes: 3 })];
  const [a, b] = [ma.page, mb.page];
  const { id, password } = await startSession(a);
  await joinPage(b, id, password, 'B');
  await meshed(a, 2);
  const one = filesOf(1);
  await writeTree(a, 'a1', one.spec);
  await writeTree(b, 'b1', { 'old.txt': { text: 'B had this' } });
  await addFolder(a, 'A', 'a1');
  await pickWritable(a); // the mirror back writes into A1
  await addFolder(b, 'B', 'b1');
  await inventory(a, [a, b]);
  const before = await pageLanes(b);
  expect(await synchronize(a, [a, b], 'mirror', 'A1', 'B1')).toEqual(['Synchronization complete', 'Synchronization complete']);
  expect(await readTree(b, 'b1', { skip: '.quintet' })).toEqual(await readTree(a, 'a1', { skip: '.quintet' }));
  expectEveryLane(before, await pageLanes(b), one.bytes, 'B received from A');

  // New content on B, mirrored back: now B's page opens its own lanes to A and sends on them.
  const two = filesOf(2);
  await writeTree(b, 'b1', two.spec);
  await inventory(a, [a, b]);
  const beforeA = await pageLanes(a);
  expect(await synchronize(a, [a, b], 'mirror', 'B1', 'A1')).toEqual(['Synchronization complete', 'Synchronization complete']);
  expect(await readTree(a, 'a1', { skip: '.quintet' })).toEqual(await readTree(b, 'b1', { skip: '.quintet' }));
  expectEveryLane(beforeA, await pageLanes(a), two.bytes, 'A received from B');
  for (const m of [ma, mb]) await m.context.close();
});

// Three lanes each way: seven connections per pair signaled at once, which once got the CLI member closed by the server
// for its message rate (4429) on a loaded core; members now pace their signaling (core/cloud/signal-pacer.ts). Lane
// events go to the page's console and, with QUINTET_DEBUG_LANES, the CLI's stderr: both are printed if the test fails.
test('a page and a quintet process, each forced to three lanes: Chromium → Node and Node → Chromium on them, byte for byte', async ({ browser }) => {
  test.setTimeout(300_000);
  const ma = await newMember(browser, { name: 'alpha', lanes: 3 });
  const a = ma.page;
  a.on('console', (m) => pageLog.push(`${new Date().toISOString()} ${m.type()} ${m.text()}`));
  const { id, password } = await startSession(a);
  const dirB = await mkdtemp(join(tmpdir(), 'quintet-e2e-lanes-'));
  temps.push(dirB);
  const state = await mkdtemp(join(tmpdir(), 'quintet-e2e-lanes-state-'));
  temps.push(state);
  const cli = spawnQuintet(['join', id, '--password', password, '--source', dirB, '--name', 'cli-node', '--server', server], {
    QUINTET_STATE_DIR: state, QUINTET_TEST_LANES: '3', QUINTET_TEST_CHANNEL_STATS: '1', QUINTET_DEBUG_LANES: '1',
  });
  running.push(cli);
  await meshed(a, 2);
  const one = filesOf(3);
  await writeTree(a, 'a1', one.spec);
  await pickWritable(a);
  await addFolder(a, 'A', 'a1');
  await inventory(a, [a]);
  expect(await synchronize(a, [a], 'mirror', 'A1', 'B1')).toEqual(['Synchronization complete']);
  await cli.line(/^Lanes received at result: /m);
  expect(await readDiskTree(dirB, { skip: '.quintet' })).toEqual(await readTree(a, 'a1', { skip: '.quintet' }));
  expectEveryLane({}, laneBytes(cli.stdout()), one.bytes, 'the CLI received from the page', 3);

  // New bytes on the CLI member's disk, mirrored back: @roamhq/wrtc sends on its lanes to Chromium.
  for (let f = 0; f < 6; f++) await writeFile(join(dirB, 'big', `f${f}.bin`), Uint8Array.from({ length: 1_200_000 }, (_, i) => (i * 7 + f * 13 + (i >> 10)) & 255));
  await inventory(a, [a]);
  const beforeA = await pageLanes(a);
  expect(await synchronize(a, [a], 'mirror', 'B1', 'A1')).toEqual(['Synchronization complete']);
  expect(await readTree(a, 'a1', { skip: '.quintet' })).toEqual(await readDiskTree(dirB, { skip: '.quintet' }));
  expectEveryLane(beforeA, await pageLanes(a), 6 * 1_200_000, 'the page received from the CLI', 3);
  expect(cli.stderr()).not.toMatch(/dropped|lane-/);
  await ma.context.close();
});
