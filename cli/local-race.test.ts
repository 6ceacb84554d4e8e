/** `quintet local` when a target changes between the inventory and the sync (the time of the confirmation). */
import { afterAll, describe, expect, it } from 'vitest';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from './main.ts';
import { EXIT } from './exit-codes.ts';
import { testIo } from './test-io.ts';
import type { CliIo } from './io.ts';
import { errno, faulty } from './faulty-sink.ts';
import { removeTempDirs, seedDir, tempDir } from '../adapters/node/temp-tree.ts';

afterAll(removeTempDirs);

/** An io whose go-ahead (after the inventory, before any write) first runs `change`; sharing `env`'s state folder. */
const changingIo = async (env: CliIo['env'], change: () => Promise<void>) =>
  testIo({ env, interactive: true, confirm: async () => (await change(), true) });

describe('quintet local leaves alone what changed on a target since the inventory', () => {
  it('Two-way: an edit made on the target meanwhile is not replaced; the next run keeps both sides', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'x.txt': 'base' });
    const first = await testIo();
    expect(await main(['local', a, b, '--preset', 'two-way', '--yes'], first)).toBe(EXIT.done);
    await writeFile(join(a, 'x.txt'), 'edit on A');
    const io = await changingIo(first.env, () => writeFile(join(b, 'x.txt'), 'edit on B, meanwhile'));
    expect(await main(['local', a, b, '--preset', 'two-way'], io)).toBe(EXIT.doneWithIssues);
    expect(io.text()).toMatch(/A2 x\.txt — changed: changed on the target since the inventory/);
    expect(await readFile(join(b, 'x.txt'), 'utf8')).toBe('edit on B, meanwhile');
    const next = await testIo({ env: first.env });
    expect(await main(['local', a, b, '--preset', 'two-way', '--yes'], next)).toBe(EXIT.done);
    const contents = async (dir: string) => Promise.all((await readdir(dir)).filter((n) => n.startsWith('x')).sort().map((n) => readFile(join(dir, n), 'utf8')));
    expect((await contents(a)).sort()).toEqual(['edit on A', 'edit on B, meanwhile']);
    expect((await contents(b)).sort()).toEqual(['edit on A', 'edit on B, meanwhile']);
  });

  it('Two-way: a folder deleted on A, a file in it saved on B meanwhile: the folder stays on B, the edit reaches A', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { proj: { 'notes.txt': 'notes', 'old.txt': 'old' }, 'keep.txt': 'k' });
    const first = await testIo();
    expect(await main(['local', a, b, '--preset', 'two-way', '--yes'], first)).toBe(EXIT.done);
    await rm(join(a, 'proj'), { recursive: true });
    const io = await changingIo(first.env, () => writeFile(join(b, 'proj', 'notes.txt'), 'notes, saved on B meanwhile'));
    expect(await main(['local', a, b, '--preset', 'two-way'], io)).toBe(EXIT.doneWithIssues);
    expect(io.text()).toMatch(/A2 proj — changed: .*holds proj\/notes\.txt \(changed\) the inventory did not see/);
    expect(await readFile(join(b, 'proj', 'notes.txt'), 'utf8')).toBe('notes, saved on B meanwhile');
    const next = await testIo({ env: first.env });
    expect(await main(['local', a, b, '--preset', 'two-way', '--yes'], next)).toBe(EXIT.done);
    for (const dir of [a, b]) expect(await readFile(join(dir, 'proj', 'notes.txt'), 'utf8')).toBe('notes, saved on B meanwhile');
  });

  it('Mirror: a file edited where it was to be deleted, or made where nothing stood, stays as it is', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'new.txt': 'from A' });
    await seedDir(b, { 'extra.txt': 'old extra' });
    const io = await changingIo((await testIo()).env, async () => {
      await writeFile(join(b, 'extra.txt'), 'extra, edited meanwhile');
      await writeFile(join(b, 'new.txt'), 'made on B meanwhile');
    });
    expect(await main(['local', a, b, '--preset', 'mirror'], io)).toBe(EXIT.doneWithIssues);
    expect(await readFile(join(b, 'extra.txt'), 'utf8')).toBe('extra, edited meanwhile');
    expect(await readFile(join(b, 'new.txt'), 'utf8')).toBe('made on B meanwhile');
    expect(io.text()).toMatch(/A2 extra\.txt — changed/);
    expect(io.text()).toMatch(/A2 new\.txt — changed: a file appeared on the target since the inventory/);
  });
});

describe('quintet local leaves alone a folder whose contents changed on the target since the inventory', () => {
  /** Files under `dir`, recursively, relative, without Quintet's own folder. */
  const filesIn = async (dir: string) => (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).filter((p) => !p.startsWith('.quintet')).sort();

  it('Mirror: a file saved into a folder to be deleted keeps the folder where it is; the next run deletes it', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'keep.txt': 'k' });
    await seedDir(b, { 'keep.txt': 'k', old: { 'o.txt': 'o', deep: { 'd.txt': 'd' } } });
    const io = await changingIo((await testIo()).env, () => writeFile(join(b, 'old', 'deep', 'fresh.txt'), 'saved meanwhile'));
    expect(await main(['local', a, b, '--preset', 'mirror'], io)).toBe(EXIT.doneWithIssues);
    expect(io.text()).toMatch(/A2 old — changed: holds old\/deep\/fresh\.txt \(new\)/);
    expect(await filesIn(b)).toEqual(['keep.txt', 'old/deep/d.txt', 'old/deep/fresh.txt', 'old/o.txt']);
    expect(await readdir(join(b, '.quintet', 'versions')).catch(() => [])).toEqual([]); // nothing moved
    const next = await testIo();
    expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], next)).toBe(EXIT.done);
    expect(await filesIn(b)).toEqual(['keep.txt']);
  });

  it('Mirror: a folder replaced by a file is left as it is when a file in it was edited meanwhile', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { d: 'a file now' });
    await seedDir(b, { d: { 'x.txt': 'x' } });
    const io = await changingIo((await testIo()).env, () => writeFile(join(b, 'd', 'x.txt'), 'x, edited meanwhile'));
    expect(await main(['local', a, b, '--preset', 'mirror'], io)).toBe(EXIT.doneWithIssues);
    expect(io.text()).toMatch(/A2 d — changed: holds d\/x\.txt \(changed\)/);
    expect(await readFile(join(b, 'd', 'x.txt'), 'utf8')).toBe('x, edited meanwhile');
  });

  it('an item the walk leaves out (a system file) appearing in the folder does not hold it back', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'keep.txt': 'k' });
    await seedDir(b, { old: { 'o.txt': 'o' } });
    const io = await changingIo((await testIo()).env, () => writeFile(join(b, 'old', '.DS_Store'), 'finder'));
    expect(await main(['local', a, b, '--preset', 'mirror'], io)).toBe(EXIT.done);
    expect(await filesIn(b)).toEqual(['keep.txt']);
  });
});

describe('quintet local keeps a two-way loser in place when its conflict copy fails', () => {
  it('a full disk on the conflict copy leaves the edit at its path, not only under versions', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'x.txt': 'base' });
    const first = await testIo();
    expect(await main(['local', a, b, '--preset', 'two-way', '--yes'], first)).toBe(EXIT.done);
    await writeFile(join(b, 'x.txt'), 'edit on B');
    await new Promise((r) => setTimeout(r, 5));
    await writeFile(join(a, 'x.txt'), 'edit on A, newer');
    const io = await testIo({
      env: first.env,
      wrapSink: (sink, dir) => (dir === b ? faulty(sink, { write: (p) => { if (p.includes('.conflict-')) throw errno('ENOSPC', 'no space left on device, write', p); } }) : sink),
    });
    expect(await main(['local', a, b, '--preset', 'two-way', '--yes'], io)).toBe(EXIT.doneWithIssues);
    expect(await readFile(join(b, 'x.txt'), 'utf8')).toBe('edit on B');
    expect(io.text()).toMatch(/A2 x\.txt — no-space/);
  });
});
