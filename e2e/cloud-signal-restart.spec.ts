/**
 * Issue 13, "the signaling server restarting while the mesh stays up": two members in a continuous session on a
 * signaling server of their own (so it can be killed and started again on the same port); while it is down the pages
 * say so and a change still reaches the other member over the mesh; once it is back the session re-homes there and a
 * third member joins with the same password (docs/protocol.md §8, Signaling offline).
 */
import { test, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './support/free-port.ts';
import { join, meshed, newMember, startSession } from './support/cloud-members.ts';
import { readTree, writeTree } from './support/opfs-tree.ts';
import { addFolder, allowWriting } from './support/cloud-run.ts';

const SLOW = { timeout: 150_000, intervals: [500, 1000, 2000] };
const OFFLINE = 'Signaling server unreachable: the session goes on between members';

/** `node signaling/node.ts` on `port` (it serves the built PWA too); resolves once /health answers. */
async function startServer(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'signaling/node.ts'], {
    env: { ...process.env, PORT: String(port), QUINTET_SESSION_CREATE_RATE_BURST: '1000' }, stdio: 'ignore',
  });
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    if (await fetch(`http://localhost:${port}/health`).then((r) => r.ok, () => false)) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error('the signaling server did not start');
}

/** The server process dies without a word to anyone (SIGKILL): its sockets just drop. */
function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Each file's SHA-256 by path (what readTree gives). */
const files = async (page: Page, root: string) => (await readTree(page, root, { skip: '.quintet' })).files;

test('signaling restart: the continuous session goes on over the mesh, re-homes, and a new member joins after', async ({ browser }) => {
  const port = await freePort();
  const baseURL = `http://localhost:${port}`;
  const servers = [await startServer(port)];
  try {
    const members = [await newMember(browser, { baseURL, name: 'alpha' }), await newMember(browser, { baseURL, name: 'bravo' })];
    const [a, b] = members.map((m) => m.page) as [Page, Page];
    const { id, password } = await startSession(a);
    await join(b, id, password, 'B');
    for (const p of [a, b]) await meshed(p, 2);
    await writeTree(a, 'a1', { 'from-a.txt': { text: 'from A' } });
    await writeTree(b, 'b1', {});
    await addFolder(a, 'A', 'a1');
    await addFolder(b, 'B', 'b1');
    await expect(a.getByRole('region', { name: 'Member B' })).toContainText('B1');
    await a.getByRole('checkbox', { name: 'Continuous synchronization' }).check();
    await allowWriting(b, 'B1');
    await allowWriting(a, 'A1');
    await expect.poll(() => files(b, 'b1'), SLOW).toEqual(await files(a, 'a1'));
    expect(Object.keys(await files(b, 'b1'))).toEqual(['from-a.txt']);

    await kill(servers[0]!);
    for (const p of [a, b]) await expect(p.getByRole('status').filter({ hasText: OFFLINE })).toBeVisible({ timeout: 60_000 });
    await writeTree(a, 'a1', { 'during-outage.txt': { text: 'made on A while the server was down' } });
    await expect.poll(() => files(b, 'b1'), SLOW).toEqual(await files(a, 'a1'));
    expect(Object.keys(await files(b, 'b1')).sort()).toEqual(['during-outage.txt', 'from-a.txt']);
    await expect(b.getByRole('region', { name: 'Member A' })).toBeVisible();

    servers.push(await startServer(port));
    for (const p of [a, b]) await expect(p.getByRole('status').filter({ hasText: OFFLINE })).toHaveCount(0, { timeout: 90_000 });
    const c = (await newMember(browser, { baseURL, name: 'charlie' })).page;
    await join(c, id, password, 'C');
    for (const p of [a, b, c]) await meshed(p, 3);
    await writeTree(c, 'c1', {});
    // C's page joins a continuous session that starts a round for it at once: on a loaded machine its folder shows
    // after that round's work (CI once took more than the default 30 s).
    await addFolder(c, 'C', 'c1', 1, 90_000);
    await allowWriting(c, 'C1');
    await expect.poll(() => files(c, 'c1'), SLOW).toEqual(await files(a, 'a1'));
    expect(Object.keys(await files(c, 'c1')).sort()).toEqual(['during-outage.txt', 'from-a.txt']);
  } finally {
    await Promise.all(servers.map(kill));
  }
});
