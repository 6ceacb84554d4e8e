import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from './main.ts';
import { EXIT } from './exit-codes.ts';
import { testIo, treeOf } from './test-io.ts';
import { removeTempDirs, seedDir, tempDir } from '../adapters/node/temp-tree.ts';

afterAll(removeTempDirs);

/** Two folders after a Mirror a → b that replaced r.txt, deleted d.txt and old/, and created n.txt and new/. */
async function mirrored() {
  const [a, b] = [await tempDir(), await tempDir()];
  await seedDir(a, { 'r.txt': 'new content of r', 'n.txt': 'n', new: { 'a.txt': 'a' } });
  await seedDir(b, { 'r.txt': 'old r', 'd.txt': 'd', old: { 'o.txt': 'o', empty: {} } });
  const before = await treeOf(b);
  const io = await testIo();
  expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], io)).toBe(EXIT.done);
  const [run] = await readdir(join(b, '.quintet', 'runs'));
  return { a, b, before, run: (run as string).replace(/\.json$/, '') };
}

describe('quintet versions', () => {
  it('lists the runs newest first with what each replaced or deleted; --path narrows it', async () => {
    const { b, run } = await mirrored();
    const io = await testIo();
    expect(await main(['versions', b], io)).toBe(EXIT.done);
    const text = io.lines.join('\n');
    expect(text).toContain(`${run}  `);
    expect(text).toMatch(/replaced\s+r\.txt\s+5 B/);
    expect(text).toMatch(/deleted\s+d\.txt\s+1 B/);
    expect(text).toMatch(/deleted\s+old\/\s+1 B/);
    const only = await testIo();
    expect(await main(['versions', b, '--path', 'old/o.txt'], only)).toBe(EXIT.done);
    expect(only.lines.join('\n')).toMatch(/deleted\s+old\/o\.txt\s+1 B/);
    expect(only.lines.join('\n')).not.toContain('r.txt');
    const none = await testIo();
    expect(await main(['versions', b, '--path', 'nothing'], none)).toBe(EXIT.done);
    expect(none.lines).toEqual(['No kept version of nothing.']);
  });
});

describe('quintet restore', () => {
  it('restores a file and a folder to a kept version, keeping what stood there first', async () => {
    const { b, run } = await mirrored();
    const io = await testIo();
    expect(await main(['restore', b, 'r.txt', '--run', run], io)).toBe(EXIT.done);
    expect(await readFile(join(b, 'r.txt'), 'utf8')).toBe('old r');
    const keptAt = /kept in (\S+)\.$/m.exec(io.lines.join('\n'))?.[1] as string;
    expect(await readFile(join(b, keptAt), 'utf8')).toBe('new content of r');
    expect(await main(['restore', b, 'old'], await testIo())).toBe(EXIT.done);
    expect(Object.keys(await treeOf(join(b, 'old'))).sort()).toEqual(['empty', 'o.txt']);
  });

  it('takes a folder named through a symbolic link as its target (synced, restored), and still follows no link inside it', async () => {
    const [a, real, links] = [await tempDir(), await tempDir(), await tempDir()];
    await seedDir(a, { 'r.txt': 'from a', sub: { 's.txt': 's' } });
    await seedDir(real, { 'r.txt': 'before', elsewhere: {} });
    const b = join(links, 'b');
    await symlink(real, b); // the user's folder on another disk
    await symlink(join(real, 'elsewhere'), join(a, 'inside')); // a link in a source: never followed
    const io = await testIo();
    expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], io)).toBe(EXIT.doneWithIssues);
    expect(io.lines.join('\n')).toMatch(/A1 inside — link: symbolic link to a directory/);
    expect(await readFile(join(real, 'r.txt'), 'utf8')).toBe('from a');
    expect(await readFile(join(real, 'sub', 's.txt'), 'utf8')).toBe('s');
    const restore = await testIo();
    expect(await main(['restore', b, 'r.txt'], restore)).toBe(EXIT.done);
    expect(await readFile(join(real, 'r.txt'), 'utf8')).toBe('before');
    // A folder in it swapped for a link: restoring there is refused with the file system's reason, not a stack trace.
    await writeFile(join(a, 'sub', 's.txt'), 's, second');
    expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], await testIo())).toBe(EXIT.doneWithIssues);
    await rm(join(real, 'sub'), { recursive: true });
    const outside = await tempDir();
    await symlink(outside, join(real, 'sub'));
    const refused = await testIo();
    expect(await main(['restore', b, 'sub/s.txt'], refused)).toBe(EXIT.failed);
    expect(refused.errors.join('\n')).toMatch(/^quintet restore failed: sub\/s\.txt was not restored \(link: .*not followed.*\)\. The version is still kept in /);
    expect(refused.errors.join('\n')).not.toMatch(/\n\s+at /);
    expect(await readdir(outside)).toEqual([]);
  });

  it('exits 2 without a kept version, for a file as folder, or on bad arguments; changes nothing', async () => {
    const { b } = await mirrored();
    const before = await treeOf(b, new Set());
    const io = await testIo();
    expect(await main(['restore', b, 'nope.txt'], io)).toBe(EXIT.couldNotStart);
    expect(io.errors.join('\n')).toContain('no kept version of nope.txt');
    expect(await main(['restore', join(b, 'r.txt'), 'x'], await testIo())).toBe(EXIT.couldNotStart);
    expect(await main(['restore', b], await testIo())).toBe(EXIT.couldNotStart);
    expect(await main(['restore', b, 'r.txt', '--bogus'], await testIo())).toBe(EXIT.couldNotStart);
    expect(await treeOf(b, new Set())).toEqual(before);
  });

  it('a manifest that does not read (cut short, edited by hand) is named, never taken for no kept version; versions lists the other runs', async () => {
    const { b } = await mirrored();
    await writeFile(join(b, '.quintet', 'runs', '20200101-000000.json'), '{"v":1,"run":"20200101-000000","entries":[');
    for (const command of [['restore', b, 'nothing-kept.txt'], ['undo', b, '--yes']]) {
      const io = await testIo();
      expect(await main(command, io)).toBe(EXIT.failed);
      expect(io.errors.join('\n')).not.toContain('no kept version');
      expect(io.errors.join('\n')).toContain('corrupt: .quintet/runs/20200101-000000.json');
    }
    // The list names it and still shows the other runs (it used to fail whole, listing nothing), and the files its
    // own run kept, as a run from before manifests.
    await mkdir(join(b, '.quintet', 'versions', '20200101-000000'));
    await writeFile(join(b, '.quintet', 'versions', '20200101-000000', 'z.txt'), 'kept by the bad run');
    const list = await testIo();
    expect(await main(['versions', b], list)).toBe(EXIT.doneWithIssues);
    expect(list.lines.join('\n')).toMatch(/synchronization, 6 changes\n(.*\n)*\s+replaced\s+r\.txt/);
    expect(list.lines.join('\n')).toMatch(/20200101-000000 .*\n\s+\S+\s+z\.txt\s+19 B/);
    expect(list.errors.join('\n')).toBe(`Not listed: ${join(b, '.quintet', 'runs', '20200101-000000.json')} could not be read (corrupt: .quintet/runs/20200101-000000.json: manifest is not JSON). The other runs are listed above.`);
    expect(await readFile(join(b, 'r.txt'), 'utf8')).toBe('new content of r');
    // A version the bad record does not hide is restored (it used to fail: the whole catalogue refused), and so is one
    // its own run kept.
    expect(await main(['restore', b, 'r.txt'], await testIo())).toBe(EXIT.done);
    expect(await readFile(join(b, 'r.txt'), 'utf8')).toBe('old r');
    expect(await main(['restore', b, 'z.txt'], await testIo())).toBe(EXIT.done);
    expect(await readFile(join(b, 'z.txt'), 'utf8')).toBe('kept by the bad run');
  });
});

describe('quintet undo', () => {
  it('undoes a Mirror that replaced, deleted and created: the target is as before (times and modes aside)', async () => {
    const { b, before, run } = await mirrored();
    const io = await testIo();
    expect(await main(['undo', b, '--yes'], io)).toBe(EXIT.done);
    expect(io.lines[0]).toContain(`Last run: ${run}`);
    expect(io.lines[0]).toContain('3 created, 1 replaced, 2 deleted');
    const strip = (t: Record<string, string>) => Object.fromEntries(Object.entries(t).map(([p, v]) => [p, v.replace(/ mtime=\d+/, '')]));
    expect(strip(await treeOf(b))).toEqual(strip(before));
  });

  it('an undo that finds everything changed since changes nothing and names no versions folder', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'n.txt': 'n' });
    expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], await testIo())).toBe(EXIT.done);
    await writeFile(join(b, 'n.txt'), 'edited since');
    const io = await testIo();
    expect(await main(['undo', b, '--yes'], io)).toBe(EXIT.doneWithIssues);
    expect(io.lines).toContain(`Undid run ${io.lines[0]!.split(' ')[2]}: 0 put back, 0 removed.`);
    expect(await readFile(join(b, 'n.txt'), 'utf8')).toBe('edited since');
  });

  it('leaves alone what changed since, lists it, and exits 3', async () => {
    const { b } = await mirrored();
    await writeFile(join(b, 'n.txt'), 'edited since');
    const io = await testIo();
    expect(await main(['undo', b, '--yes'], io)).toBe(EXIT.doneWithIssues);
    expect(io.lines.join('\n')).toContain('n.txt: changed since the run');
    expect(await readFile(join(b, 'n.txt'), 'utf8')).toBe('edited since');
    expect(await readFile(join(b, 'r.txt'), 'utf8')).toBe('old r');
  });

  it('asks first on a terminal (no: nothing undone, exit 0); without one it needs --yes (exit 2); nothing to undo is 0', async () => {
    const { b, a } = await mirrored();
    const no = await testIo({ interactive: true, confirm: async () => false });
    expect(await main(['undo', b], no)).toBe(EXIT.done);
    expect(no.lines).toContain('Nothing undone.');
    expect(await readFile(join(b, 'n.txt'), 'utf8')).toBe('n');
    expect(await main(['undo', b], await testIo())).toBe(EXIT.couldNotStart);
    const empty = await tempDir();
    const io = await testIo();
    expect(await main(['undo', empty, '--yes'], io)).toBe(EXIT.done);
    expect(io.lines[0]).toContain('No run to undo');
    expect(await main(['undo', a, b, '--yes'], await testIo())).toBe(EXIT.couldNotStart);
  });

  it('every command has --help', async () => {
    for (const command of ['versions', 'restore', 'undo']) {
      const io = await testIo();
      expect(await main([command, '--help'], io)).toBe(EXIT.done);
      expect(io.lines[0]).toContain(`Usage: quintet ${command}`);
    }
  });
});

describe('quintet undo, then two-way again', () => {
  it('forgets the two-way base of what it put back: the next two-way keeps the edit in place and both contents', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'f.txt': 'old' });
    await seedDir(b, { 'f.txt': 'old' });
    const first = await testIo();
    const same = async () => testIo({ env: first.env }); // one state folder: the base two-way keeps between runs
    expect(await main(['local', a, b, '--preset', 'two-way', '--yes'], first)).toBe(EXIT.done);
    await new Promise((r) => setTimeout(r, 20)); // a later modification time than the run recorded
    await writeFile(join(a, 'f.txt'), 'edit on a');
    expect(await main(['local', a, b, '--preset', 'two-way', '--yes'], await same())).toBe(EXIT.done);
    expect(await readFile(join(b, 'f.txt'), 'utf8')).toBe('edit on a');
    expect(await main(['undo', b, '--yes'], await same())).toBe(EXIT.done);
    expect(await readFile(join(b, 'f.txt'), 'utf8')).toBe('old');
    expect(await main(['local', a, b, '--preset', 'two-way', '--yes'], await same())).toBe(EXIT.done);
    // Without forgetting, b's old f.txt read as b's edit and went over a's; with no base there, both are kept.
    expect(await readFile(join(a, 'f.txt'), 'utf8')).toBe('edit on a');
    const contents = async (dir: string) => Object.values(await treeOf(dir)).map((v) => v.replace(/ mtime=\d+.*/, '')).filter((v) => v.startsWith('file')).sort();
    expect(await contents(a)).toEqual(await contents(b));
    expect((await contents(a)).length).toBe(2);
  });
});
