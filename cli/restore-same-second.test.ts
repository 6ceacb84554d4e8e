/**
 * `quintet restore` while a run on the same folder is under way and both started in the same second (a joined member's
 * continuous round, a scheduled `quintet run`): each keeps its own record of what it did.
 */
import { afterAll, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from './main.ts';
import { EXIT } from './exit-codes.ts';
import { testIo } from './test-io.ts';
import { faulty } from './faulty-sink.ts';
import { removeTempDirs, seedDir, tempDir } from '../adapters/node/temp-tree.ts';
import { NodeDirSink } from '../adapters/node/node-dir-sink.ts';
import { writeManifest } from '../core/versions/manifest.ts';

afterAll(removeTempDirs);

it('a restore during a run started in the same second: neither record replaces the other', async () => {
  const [a, b] = [await tempDir(), await tempDir()];
  await seedDir(a, { 'x.txt': 'new x' });
  await seedDir(b, { 'x.txt': 'old x' });
  expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], await testIo())).toBe(EXIT.done);
  await seedDir(a, { 'n.txt': 'a new file' });
  const second = Date.now() + 5000;
  let restored: number | null = null;
  // At the commit of n.txt (its run id chosen, nothing of the run on disk yet), the user restores x.txt.
  const run = await testIo({
    clock: { now: () => second },
    wrapSink: (sink) => {
      const wrapped = faulty(sink, {});
      const create = wrapped.createWriter.bind(wrapped);
      wrapped.createWriter = async (p) => {
        const w = await create(p);
        return { ...w, commit: async () => {
          if (p === 'n.txt' && restored === null) restored = await main(['restore', b, 'x.txt'], await testIo({ clock: { now: () => second } }));
          return w.commit();
        } };
      };
      return wrapped;
    },
  });
  const runCode = main(['local', a, b, '--preset', 'mirror', '--yes'], run);
  expect(await runCode).toBe(EXIT.done);
  expect(restored).toBe(EXIT.done);
  expect(await readFile(join(b, 'x.txt'), 'utf8')).toBe('old x');
  // What the restore replaced ('new x') is listed, and the run's own record too.
  const list = await testIo();
  expect(await main(['versions', b], list)).toBe(EXIT.done);
  const text = list.lines.join('\n');
  expect(text).toMatch(/restore, 1 change\n\s+replaced\s+x\.txt\s+5 B/);
  expect(text).toMatch(/synchronization, 1 change/);
  const kept = /^(\S+)\s.*restore, 1 change/m.exec(text)?.[1] as string;
  expect(await readFile(join(b, '.quintet', 'versions', kept, 'x.txt'), 'utf8')).toBe('new x');
});

it('two restores in the same second copy through staged files of their own: neither moves the other’s into place', async () => {
  const [a, b] = [await tempDir(), await tempDir()];
  await seedDir(a, { 'k.txt': 'k' });
  await seedDir(b, { 'k.txt': 'k', 'x.txt': 'old x', 'y.txt': 'old y' });
  expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], await testIo())).toBe(EXIT.done);
  const second = Date.now() + 5000;
  let other: number | null = null;
  // Just before the first restore moves its staged copy into place, a second one (another process, same second) runs.
  const first = await testIo({
    clock: { now: () => second },
    wrapSink: (sink) => {
      const wrapped = faulty(sink, {});
      const move = sink.move?.bind(sink) as NonNullable<typeof sink.move>;
      wrapped.move = async (from, to) => {
        if (to === 'x.txt' && other === null) other = await main(['restore', b, 'y.txt'], await testIo({ clock: { now: () => second } }));
        return move(from, to);
      };
      return wrapped;
    },
  });
  expect(await main(['restore', b, 'x.txt'], first)).toBe(EXIT.done);
  expect(other).toBe(EXIT.done);
  expect(await readFile(join(b, 'x.txt'), 'utf8')).toBe('old x');
  expect(await readFile(join(b, 'y.txt'), 'utf8')).toBe('old y');
});

it('a manifest another process writes between the look and the write is never written over', async () => {
  const b = await tempDir();
  const id = '20240101-120000';
  const theirs = JSON.stringify({ v: 1, run: id, kind: 'restore', startedAt: 1, endedAt: 1, entries: [] });
  // At the commit of our manifest's bytes (the id found free), the other process's manifest lands under that id.
  const sink = faulty(await NodeDirSink.open(b), { commit: () => void (existsSync(join(b, '.quintet', 'runs', `${id}.json`)) || writeFileSync(join(b, '.quintet', 'runs', `${id}.json`), theirs)) });
  const ours = await writeManifest(sink, { v: 1, run: id, kind: 'sync', startedAt: 2, endedAt: 2, entries: [] });
  expect(ours).toBe(`${id}-2`);
  expect(await readFile(join(b, '.quintet', 'runs', `${id}.json`), 'utf8')).toBe(theirs);
  expect(JSON.parse(await readFile(join(b, '.quintet', 'runs', `${ours}.json`), 'utf8'))).toMatchObject({ run: ours, kind: 'sync' });
  expect(await readdir(join(b, '.quintet', 'tmp'))).toEqual([]);
});
