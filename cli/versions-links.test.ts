/**
 * A folder a restore moved aside whole keeps the links in it (never followed, never copied by a sync): the folder's
 * history still reads, the folder can be restored and undone, and the links stay in the version, said.
 */
import { afterAll, expect, it } from 'vitest';
import { mkdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from './main.ts';
import { EXIT } from './exit-codes.ts';
import { testIo } from './test-io.ts';
import { removeTempDirs, seedDir, tempDir } from '../adapters/node/temp-tree.ts';

afterAll(removeTempDirs);

it('a kept folder holding a link: versions lists the rest, restore puts the files back and names the link left in the version, undo takes it back', async () => {
  const [a, b] = [await tempDir(), await tempDir()];
  await seedDir(a, { 'k.txt': 'k' });
  await seedDir(b, { 'k.txt': 'k', d: { 'f.txt': 'old f' } });
  expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], await testIo())).toBe(EXIT.done);
  // The user makes d again, with a file and a link in it; restoring the old d moves this one aside whole.
  await mkdir(join(b, 'd'));
  await writeFile(join(b, 'd', 'g.txt'), 'only copy of g');
  await symlink('g.txt', join(b, 'd', 'l'));
  const restore = await testIo();
  expect(await main(['restore', b, 'd'], restore)).toBe(EXIT.done);
  const aside = /kept in (\S+)\.$/m.exec(restore.lines.join('\n'))?.[1] as string;
  expect(await readlink(join(b, aside, 'l'))).toBe('g.txt');
  // The history of the folder still reads, the moved-aside d listed with its file.
  const list = await testIo();
  expect(await main(['versions', b], list)).toBe(EXIT.done);
  expect(list.lines.join('\n')).toMatch(/restore, 1 change\n\s+replaced\s+d\/\s+14 B/);
  // Undo of that restore: the folder with the link comes back whole, and the undo is recorded.
  const undo = await testIo();
  expect(await main(['undo', b, '--yes'], undo)).toBe(EXIT.done);
  expect(undo.lines.join('\n')).toMatch(/1 put back/);
  expect(await readlink(join(b, 'd', 'l'))).toBe('g.txt');
  // Restored once more, then back to the folder with the link: the file comes back, the link stays in the version, named.
  const third = await testIo();
  expect(await main(['restore', b, 'd'], third)).toBe(EXIT.done);
  const aside3 = /kept in (\S+)\.$/m.exec(third.lines.join('\n'))?.[1] as string;
  const again = await testIo();
  expect(await main(['restore', b, 'd', '--run', aside3.split('/')[2] as string], again)).toBe(EXIT.done);
  expect(await readFile(join(b, 'd', 'g.txt'), 'utf8')).toBe('only copy of g');
  expect(again.lines.join('\n')).toContain(`Not restored (a link or special file, never followed): ${join(aside3, 'l')} stays in the version.`);
  expect(await readlink(join(b, aside3, 'l'))).toBe('g.txt');
});

it('a versions folder without a manifest (from before manifests) holding a link: its files are listed, the link left out', async () => {
  const b = await tempDir();
  await seedDir(b, { '.quintet': { versions: { '20240101-120000': { d: { 'f.txt': 'old f' } } } } });
  await symlink('f.txt', join(b, '.quintet', 'versions', '20240101-120000', 'd', 'l'));
  const list = await testIo();
  expect(await main(['versions', b], list)).toBe(EXIT.done);
  expect(list.lines.join('\n')).toMatch(/d\/f\.txt\s+5 B/);
  expect(list.lines.join('\n')).not.toMatch(/d\/l/);
});
