/** `quintet create --continuous` and `quintet join` as two real processes: changes on either side reach the other through fs.watch. */
import { withSignalingServer } from './test-server.ts';
import { describe, expect, it } from 'vitest';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seedDir, tempDir } from '../adapters/node/temp-tree.ts';
import { eventually, quintetRunner, sessionOf } from './cli-process.ts';

/** ENOENT: what a folder being synchronized does to an entry between listing it and reading it. */
const gone = (error: unknown) => (error as { code?: string }).code === 'ENOENT';

/**
 * Every file under `root` (Quintet's own folder aside) with its text. The members keep changing the folder while the
 * test looks: an entry removed or moved between the listing and the read is absent, as it would be a moment later.
 */
async function contents(root: string, rel = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const entries = await readdir(join(root, rel), { withFileTypes: true }).catch((error: unknown) => (gone(error) ? [] : Promise.reject(error)));
  for (const entry of entries) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (path === '.quintet') continue;
    if (entry.isDirectory()) Object.assign(out, await contents(root, path));
    else {
      const text = await readFile(join(root, path), 'utf8').catch((error: unknown) => (gone(error) ? null : Promise.reject(error)));
      if (text !== null) out[path] = text;
    }
  }
  return out;
}


const { running, quintet } = quintetRunner();

describe('quintet create --continuous', () => {
  const server = withSignalingServer(running);

  it('a member joining gets the union; then a file made on B, renamed and deleted on A follow through the watchers', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { docs: { 'report.txt': 'from A' } });
    await seedDir(b, { 'from-b.txt': 'from B' });
    const leader = await quintet(['create', '--source', a, '--server', server.url, '--name', 'nas', '--continuous']);
    const { link } = await sessionOf(leader);
    await leader.line(/^Continuous synchronization on/m);
    const member = await quintet(['join', link, '--source', b, '--server', server.url, '--name', 'office']);
    const same = async () => JSON.stringify(await contents(a)) === JSON.stringify(await contents(b));
    await eventually(async () => (await same()) && Object.keys(await contents(a)).length === 2);

    await writeFile(join(b, 'made-on-b.txt'), 'new on B');
    await eventually(async () => (await contents(a))['made-on-b.txt'] === 'new on B');
    await rename(join(a, 'docs', 'report.txt'), join(a, 'docs', 'renamed.txt'));
    await eventually(async () => (await contents(b))['docs/renamed.txt'] === 'from A' && (await contents(b))['docs/report.txt'] === undefined);
    await rm(join(a, 'from-b.txt'));
    await eventually(async () => (await contents(b))['from-b.txt'] === undefined);
    expect(await contents(b)).toEqual(await contents(a));
    expect(await member.interrupt()).toBe(130);
    expect(await leader.interrupt()).toBe(130);
  }, 180_000);

  it('refuses --continuous with --preset', async () => {
    const leader = await quintet(['create', '--source', await tempDir(), '--server', server.url, '--continuous', '--preset', 'two-way', '--yes', '--members', '2']);
    expect(await leader.exited).toBe(2);
    expect(leader.stderr()).toContain('--continuous');
  });
});
