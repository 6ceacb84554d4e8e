/**
 * The walk never lists through a folder swapped for a symbolic link while it is listed (by another local user, to have
 * names from outside the source inventoried and sent). The hook: node:fs's readdirSync, wrapped so that an armed test
 * swaps the folder just before the real listing (and, for the second test, back just after it).
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { renameSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { NodeDirSink } from './node-dir-sink.ts';
import { walkSource } from '../../core/inventory/walk.ts';
import { removeTempDirs, seedDir, tempDir } from './temp-tree.ts';

const hook = vi.hoisted(() => ({ armed: null as null | { skip: number; before: () => void; after: () => void } }));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const readdirSync = ((...args: Parameters<typeof real.readdirSync>) => {
    const armed = hook.armed && hook.armed.skip-- <= 0 ? hook.armed : null;
    if (armed) hook.armed = null; // once: the listing `skip` listings after arming is the swapped folder's
    armed?.before();
    try {
      return real.readdirSync(...args);
    } finally {
      armed?.after();
    }
  }) as typeof real.readdirSync;
  return { ...real, default: { ...real, readdirSync }, readdirSync };
});

afterAll(removeTempDirs);
afterEach(() => void (hook.armed = null));

/** A source with folder d/ (d/in.txt) and an outside folder holding secret.txt; `swap` puts a link to it in d's place. */
async function source() {
  const [root, outside] = [await tempDir(), await tempDir()];
  await seedDir(root, { d: { 'in.txt': 'in' } });
  await seedDir(outside, { 'secret.txt': 'outside the source' });
  const d = join(root, 'd');
  const swap = () => (renameSync(d, join(root, 'd-real')), symlinkSync(outside, d));
  const back = () => (unlinkSync(d), renameSync(join(root, 'd-real'), d));
  return { root, swap, back, sink: await NodeDirSink.open(root) };
}

describe('NodeDirSink.list through a folder swapped for a link during the walk', () => {
  it('a folder swapped for a link just before its listing is skipped as link; nothing outside is listed', async () => {
    const { sink, swap } = await source();
    hook.armed = { skip: 1, before: swap, after: () => undefined }; // the root is listed first, then d
    const result = await walkSource({ source: sink });
    expect(result.entries.map((e) => e.path)).not.toContain('d/secret.txt');
    expect(result.errors).toEqual([expect.objectContaining({ path: 'd', code: 'link' })]);
  });

  it('a folder swapped for a link and back around its listing lists the folder itself, never the outside', async () => {
    const { sink, swap, back } = await source();
    expect(await sink.list('')).toEqual([{ name: 'd', kind: 'directory' }]);
    hook.armed = { skip: 0, before: swap, after: back };
    const listed = await sink.list('d').then((l) => l.map((e) => e.name), (e: { code: string }) => e.code);
    // Linux lists the descriptor opened on d itself; elsewhere the look after the listing may only see the swap.
    if (process.platform === 'linux') expect(listed).toEqual(['in.txt']);
    else expect(listed === 'link' || listed === 'changed' || JSON.stringify(listed) === '["in.txt"]').toBe(true);
    expect(listed).not.toContain('secret.txt');
  });
});
