/** Issue 11: the `quintet` CLI as a member beside real browser pages — a browser leader with a CLI member, a CLI leader with two browsers. */
import { test, expect, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { join as joinPage, meshed, newMember, startSession, pickWritable, type Member } from './support/cloud-members.ts';
import { readTree, removePath, writeTree } from './support/opfs-tree.ts';
import { addFolder, inventory, synchronize } from './support/cloud-run.ts';
import { readDiskTree } from './support/disk-tree.ts';
import { sessionOf, spawnQuintet, type CliProcess } from '../cli/cli-process.ts';

const port = Number(process.env.E2E_PORT ?? 8797);
/** ~330 KB of log lines: three blocks that compress to a fraction of their size. */
const LOG = Array.from({ length: 6000 }, (_, i) => `2026-11-30T12:${String(i % 60).padStart(2, '0')} INFO sync block ${i} of app.log ok\n`).join('');
const server = `http://localhost:${port}`;
const running: CliProcess[] = [];
const temps: string[] = [];

async function tempFolder(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'quintet-e2e-cli-'));
  temps.push(dir);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

/** The real bin against this server; its state folder (store, two-way base) is a fresh one unless given. */
async function quintet(args: string[], stateDir?: string): Promise<CliProcess> {
  const p = spawnQuintet([...args, '--server', server], { QUINTET_STATE_DIR: stateDir ?? (await tempFolder({})) });
  running.push(p);
  return p;
}

/** Pseudo-random bytes, the same for the same seed. */
const bytes = (size: number, seed: number) => Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed * 17 + ((i >> 8) ^ seed)) & 255);

// eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures from an object pattern
test.afterEach(async ({}, info) => {
  // A failing run shows what each CLI process said.
  if (info.status !== info.expectedStatus) for (const p of running) console.log(`--- quintet stdout\n${p.stdout()}\n--- stderr\n${p.stderr()}`);
  await Promise.all(running.splice(0).map((p) => p.interrupt()));
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

test('a browser leader and a CLI member: Mirror A1 → B1, an edit on B\'s disk, Mirror B1 → A1; byte for byte; the CLI leaves the page on Ctrl-C', async ({ browser }) => {
  const ma: Member = await newMember(browser, { name: 'alpha' });
  const a = ma.page;
  const { id, password } = await startSession(a);
  const dirB = await tempFolder({ 'docs/report.txt': 'stale', 'only-b.txt': 'B had this' });
  const cli = await quintet(['join', id, '--password', password, '--source', dirB, '--name', 'cli-node']);
  await meshed(a, 2);
  const blockB = a.getByRole('region', { name: 'Member B' });
  await expect(blockB).toContainText('cli-node');
  await expect(blockB).toContainText('B1');

  // logs/app.log: text whose blocks travel compressed (block-deflate), from the page's fflate to the CLI's zlib.
  await writeTree(a, 'a1', { 'docs/report.txt': { text: 'quarterly report' }, 'docs/big.bin': { size: 3_000_000, seed: 1 }, 'photos/p1.jpg': { size: 400_000, seed: 2 }, 'photos/empty': null, 'top.txt': { text: 'top' }, 'logs/app.log': { text: LOG } });
  await pickWritable(a); // the mirror back writes into A1
  await addFolder(a, 'A', 'a1');
  await inventory(a, [a]);
  expect(await synchronize(a, [a], 'mirror', 'A1', 'B1')).toEqual(['Synchronization complete']);
  await cli.line(/^B cli-node \(this computer\): \d+ done, 0 failed, 0 skipped/m);
  expect(await readDiskTree(dirB, { skip: '.quintet' })).toEqual(await readTree(a, 'a1', { skip: '.quintet' }));

  // An edit in B's real folder, then back to A.
  await writeFile(join(dirB, 'top.txt'), 'top, edited on the CLI member');
  await writeFile(join(dirB, 'docs', 'from-b.bin'), bytes(1_500_000, 5));
  await writeFile(join(dirB, 'logs', 'from-b.log'), LOG.replaceAll('INFO', 'WARN')); // compressed, from zlib to fflate
  await inventory(a, [a]);
  expect(await synchronize(a, [a], 'mirror', 'B1', 'A1')).toEqual(['Synchronization complete']);
  const back = await readTree(a, 'a1', { skip: '.quintet' });
  expect(back).toEqual(await readDiskTree(dirB, { skip: '.quintet' }));
  expect(Object.keys(back.files).sort()).toEqual(['docs/big.bin', 'docs/from-b.bin', 'docs/report.txt', 'logs/app.log', 'logs/from-b.log', 'photos/p1.jpg', 'top.txt']);

  // Ctrl-C: the CLI member leaves at once, and the page stops listing it.
  expect(await cli.interrupt()).toBe(130);
  await expect(a.getByRole('region', { name: /^Member [A-E]$/ })).toHaveCount(1, { timeout: 60_000 });
  await ma.context.close();
});

/** Every file (path, SHA-256) under the OPFS folder `root` (e.g. `b1/.quintet/versions`), none when it does not exist. */
async function opfsFiles(page: Page, root: string): Promise<Array<[string, string]>> {
  const tree = await readTree(page, root).catch(() => ({ files: {} }));
  return Object.entries(tree.files);
}

/** A file of a page's OPFS, to put the same bytes on a real disk. */
async function opfsBytes(page: Page, path: string): Promise<Buffer> {
  const b64 = await page.evaluate(async (path) => {
    let dir = await navigator.storage.getDirectory();
    const parts = path.split('/');
    const name = parts.pop() as string;
    for (const part of parts) dir = await dir.getDirectoryHandle(part);
    const data = new Uint8Array(await (await (await dir.getFileHandle(name)).getFile()).arrayBuffer());
    let s = '';
    for (let i = 0; i < data.length; i += 0x8000) s += String.fromCharCode(...data.subarray(i, i + 0x8000));
    return btoa(s);
  }, path);
  return Buffer.from(b64, 'base64');
}

const sha = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Each member's kept versions as "<path under the run folder> → SHA-256" (the run folder's name is a time). */
function keptVersions(files: Array<[string, string]>): Record<string, string> {
  return Object.fromEntries(files.map(([path, hash]) => [path.split('/').slice(1).join('/'), hash]));
}

test('a CLI leader (create --preset two-way --yes --members 3) with two browser members: an edit on each, all equal after', async ({ browser }) => {
  test.setTimeout(600_000);
  // The same shared files on the three members, byte for byte: the pages' OPFS folders, then A's real folder from them.
  const [mb, mc] = [await newMember(browser, { name: 'bravo' }), await newMember(browser, { name: 'charlie' })];
  const [b, c] = [mb.page, mc.page];
  for (const p of [b, c]) await p.goto('/');
  const shared = { 'shared/plan.txt': { text: 'plan v1' }, 'shared/notes.txt': { text: 'notes v1' }, 'shared/data.bin': { size: 2_000_000, seed: 3 } };
  await writeTree(b, 'b1', shared);
  await writeTree(c, 'c1', shared);
  const dataV1 = await opfsBytes(b, 'b1/shared/data.bin');
  const dirA = await tempFolder({ 'shared/plan.txt': 'plan v1', 'shared/notes.txt': 'notes v1', 'shared/data.bin': dataV1 });
  // The leader's store (its two-way base) outlives each `create`, as on a real machine.
  const stateA = await tempFolder({});

  /** One leader run: `create`, both pages join with their folders, the leader runs Two-way and leaves when done. */
  async function twoWayRun(): Promise<CliProcess> {
    const leader = await quintet(['create', '--source', dirA, '--name', 'cli-leader', '--preset', 'two-way', '--yes', '--members', '3'], stateA);
    const { id, password } = await sessionOf(leader);
    for (const [p, letter] of [[b, 'B'], [c, 'C']] as const) {
      await p.goto('/'); // a fresh page: out of any earlier session
      await joinPage(p, id, password, letter);
    }
    for (const p of [b, c]) {
      await meshed(p, 3);
      await expect(p.getByRole('region', { name: 'Member A' })).toContainText('cli-leader');
    }
    await pickWritable(b);
    await pickWritable(c);
    await addFolder(b, 'B', 'b1');
    await addFolder(c, 'C', 'c1'); // the third member with a source: the CLI leader starts
    // The leader's exit code is the whole run's: it leaves once every member's result is in (the pages then reset the
    // round, as for any member leaving, so the results heading does not stay; the leader's lines list every result).
    expect(await leader.exited, leader.stdout() + leader.stderr()).toBe(0);
    expect(leader.stdout()).toContain('Synchronization complete on every member.');
    expect(leader.stdout()).toMatch(/^B bravo: \d+ done, 0 failed, 0 skipped/m);
    expect(leader.stdout()).toMatch(/^C charlie: \d+ done, 0 failed, 0 skipped/m);
    // The pages saw the leader go: the new leader is B, alone with C.
    for (const p of [b, c]) await expect(p.getByRole('region', { name: /^Member [A-E]$/ })).toHaveCount(2, { timeout: 60_000 });
    return leader;
  }

  // Run 1 records the base (with none, Two-way is a union: one edit against two old copies would be a conflict).
  await twoWayRun();
  const afterFirst = await readDiskTree(dirA, { skip: '.quintet' });
  expect(Object.keys(afterFirst.files).sort()).toEqual(['shared/data.bin', 'shared/notes.txt', 'shared/plan.txt']);
  expect(await readTree(b, 'b1', { skip: '.quintet' })).toEqual(afterFirst);
  expect(await readTree(c, 'c1', { skip: '.quintet' })).toEqual(afterFirst);

  // An edit on each member, each newer than the two other copies, and one new file each. OPFS writes in place keep the
  // old modification time: the edited file is a new file. On disk the time is set, not left to the clock's granularity.
  const later = new Date(Date.now() + 5_000);
  await writeFile(join(dirA, 'shared/plan.txt'), 'plan v2, edited on A (the CLI leader)');
  await utimes(join(dirA, 'shared/plan.txt'), later, later);
  await writeFile(join(dirA, 'from-a.txt'), 'new on the CLI leader');
  await removePath(b, 'b1/shared/notes.txt');
  await writeTree(b, 'b1', { 'shared/notes.txt': { text: 'notes v2, edited on B' }, 'from-b.txt': { text: 'new on B' }, 'photos/b.jpg': { size: 700_000, seed: 8 } });
  await removePath(c, 'c1/shared/data.bin');
  await writeTree(c, 'c1', { 'shared/data.bin': { size: 2_100_000, seed: 4 }, 'c.bin': { size: 1_200_000, seed: 9 } });
  const [planV2, notesV2, dataV2] = [sha('plan v2, edited on A (the CLI leader)'), sha('notes v2, edited on B'), sha(await opfsBytes(c, 'c1/shared/data.bin'))];
  const v1 = { plan: sha('plan v1'), notes: sha('notes v1'), data: sha(dataV1) };

  // Run 2: a new session of the same folders; every edit is a one-sided change since the base, copied everywhere.
  await twoWayRun();
  const onA = await readDiskTree(dirA, { skip: '.quintet' });
  expect(await readTree(b, 'b1', { skip: '.quintet' })).toEqual(onA);
  expect(await readTree(c, 'c1', { skip: '.quintet' })).toEqual(onA);
  // No conflict copies: only the edits and the new files.
  expect(Object.keys(onA.files).sort()).toEqual(['c.bin', 'from-a.txt', 'from-b.txt', 'photos/b.jpg', 'shared/data.bin', 'shared/notes.txt', 'shared/plan.txt']);
  expect([onA.files['shared/plan.txt'], onA.files['shared/notes.txt'], onA.files['shared/data.bin']]).toEqual([planV2, notesV2, dataV2]);
  // What each edit replaced is kept in versions where it was replaced: on A's real disk, and in the pages' OPFS.
  const versionsA = await readDiskTree(join(dirA, '.quintet', 'versions')).catch(() => ({ files: {} }));
  expect(keptVersions(Object.entries(versionsA.files))).toEqual({ 'shared/notes.txt': v1.notes, 'shared/data.bin': v1.data });
  expect(keptVersions(await opfsFiles(b, 'b1/.quintet/versions'))).toEqual({ 'shared/plan.txt': v1.plan, 'shared/data.bin': v1.data });
  expect(keptVersions(await opfsFiles(c, 'c1/.quintet/versions'))).toEqual({ 'shared/plan.txt': v1.plan, 'shared/notes.txt': v1.notes });
  for (const m of [mb, mc]) await m.context.close();
});
