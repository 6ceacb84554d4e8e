/** `quintet restore` and `quintet undo` when the path is saved to meanwhile, or the file system refuses: nothing lost, the version named. */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from './main.ts';
import { EXIT } from './exit-codes.ts';
import { testIo } from './test-io.ts';
import { errno, faulty } from './faulty-sink.ts';
import { removeTempDirs, seedDir, tempDir } from '../adapters/node/temp-tree.ts';

afterAll(removeTempDirs);

/** b after a Mirror a → b that replaced r.txt ('old r' kept as a version), and the version's absolute path. */
async function mirrored() {
  const [a, b] = [await tempDir(), await tempDir()];
  await seedDir(a, { 'r.txt': 'new content of r' });
  await seedDir(b, { 'r.txt': 'old r' });
  expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], await testIo())).toBe(EXIT.done);
  const [run] = await readdir(join(b, '.quintet', 'versions'));
  return { b, version: join(b, '.quintet', 'versions', run as string, 'r.txt') };
}

describe('quintet restore', () => {
  it('a save landing at the path while the version is copied is never replaced; the error names the version', async () => {
    const { b, version } = await mirrored();
    let saved = false;
    // At the copy's commit, the user's editor saves the path the restore found free (it had moved the old file away).
    const io = await testIo({
      wrapSink: (sink) => faulty(sink, { commit: () => void (saved ||= (writeFileSync(join(b, 'r.txt'), 'saved meanwhile'), true)) }),
    });
    expect(await main(['restore', b, 'r.txt'], io)).toBe(EXIT.failed);
    expect(saved).toBe(true);
    expect(await readFile(join(b, 'r.txt'), 'utf8')).toBe('saved meanwhile');
    expect(await readFile(version, 'utf8')).toBe('old r');
    const text = io.errors.join('\n');
    expect(text).toContain(`The version is still kept in ${version}`);
    // What stood there before the restore could not go back over the save: kept, and said where.
    const kept = /it is kept in (\S+)\.$/m.exec(text)?.[1] as string;
    expect(await readFile(kept, 'utf8')).toBe('new content of r');
    expect(await readdir(join(b, '.quintet', 'tmp')).catch(() => [])).toEqual([]);
  });

  it('a restore the file system refuses (EACCES) names the version it could not put back, in English and French', async () => {
    const { b, version } = await mirrored();
    const refuse = (sink: Parameters<typeof faulty>[0]) => faulty(sink, { write: (p) => { throw errno('EACCES', 'permission denied, write', p); } });
    const en = await testIo({ wrapSink: refuse });
    expect(await main(['restore', b, 'r.txt'], en)).toBe(EXIT.failed);
    expect(en.errors.join('\n')).toBe(`quintet restore failed: r.txt was not restored (permission-denied: EACCES: permission denied, write). The version is still kept in ${version}: it can be copied back by hand.`);
    expect(await readFile(join(b, 'r.txt'), 'utf8')).toBe('new content of r'); // what stood there went back
    const fr = await testIo({ wrapSink: refuse });
    fr.env.QUINTET_LANG = 'fr';
    expect(await main(['restore', b, 'r.txt'], fr)).toBe(EXIT.failed);
    expect(fr.errors.join('\n').replace(/[\u00a0\u202f]/g, ' ')).toContain(`r.txt n’a pas été restauré (permission-denied : EACCES: permission denied, write). La version est toujours conservée dans ${version}`);
  });

  it('a file the failed restore put back and the user saved since stays, with its folder', async () => {
    // A Mirror replaced folder d by a file: the folder (two files) is kept as a version, then restored.
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { d: 'a file now' });
    await seedDir(b, { d: { '1.txt': 'one', '2.txt': 'two' } });
    expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], await testIo())).toBe(EXIT.done);
    let commits = 0;
    let edited = '';
    // At the second file's commit, the first is back in place and the user saves it; then the second fails (EACCES).
    const refuse = (sink: Parameters<typeof faulty>[0]) => faulty(sink, {
      commit: (p) => {
        if (++commits < 2) return;
        edited = ['1.txt', '2.txt'].find((n) => existsSync(join(b, 'd', n))) as string;
        writeFileSync(join(b, 'd', edited), 'saved meanwhile, after the restore put it back');
        throw errno('EACCES', 'permission denied, rename', p);
      },
    });
    const io = await testIo({ wrapSink: refuse });
    expect(await main(['restore', b, 'd'], io)).toBe(EXIT.failed);
    expect(edited).not.toBe('');
    expect(await readFile(join(b, 'd', edited), 'utf8')).toBe('saved meanwhile, after the restore put it back');
    // The file that stood at d cannot go back over the folder now holding the save: it stays kept, and said where.
    const kept = /it is kept in (\S+)\.$/m.exec(io.errors.join('\n'))?.[1] as string;
    expect(await readFile(kept, 'utf8')).toBe('a file now');
  });
});

describe('quintet restore, a file standing where a folder above the path is needed', () => {
  it('a restore that fails puts that file back, and leaves no folder it made', async () => {
    // A Mirror replaced folder d (holding x.txt) by a file d; restoring d/x.txt needs the folder again.
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { d: 'a file now' });
    await seedDir(b, { d: { 'x.txt': 'x' } });
    expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], await testIo())).toBe(EXIT.done);
    const refuse = (sink: Parameters<typeof faulty>[0]) => faulty(sink, { write: (p) => { throw errno('ENOSPC', 'no space left on device, write', p); } });
    const io = await testIo({ wrapSink: refuse });
    expect(await main(['restore', b, 'd/x.txt'], io)).toBe(EXIT.failed);
    expect(await readFile(join(b, 'd'), 'utf8')).toBe('a file now');
    expect(io.errors.join('\n')).not.toContain('it is kept in');
  });
});

describe('quintet undo', () => {
  it('a save landing at a path while the undo puts its version back: what the run left there is recorded and named, not hidden', async () => {
    // A Mirror a → b replaced r.txt and s.txt; the undo moves each aside (to its own versions), then puts the old one back.
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'r.txt': 'new content of r', 's.txt': 'new content of s' });
    await seedDir(b, { 'r.txt': 'old r', 's.txt': 'old s' });
    expect(await main(['local', a, b, '--preset', 'mirror', '--yes'], await testIo())).toBe(EXIT.done);
    let saved = false;
    const io = await testIo({
      wrapSink: (sink) => {
        const wrapped = Object.assign(faulty(sink, {}), { root: (sink as { root?: string }).root });
        const move = wrapped.move as NonNullable<typeof wrapped.move>;
        // Just before the old r.txt goes back, the user's editor saves r.txt (the undo had just moved it aside).
        wrapped.move = async (from, to) => {
          if (to === 'r.txt' && !saved) saved = (writeFileSync(join(b, 'r.txt'), 'saved meanwhile'), true);
          return move(from, to);
        };
        return wrapped;
      },
    });
    expect(await main(['undo', b, '--yes'], io)).toBe(EXIT.doneWithIssues);
    expect(saved).toBe(true);
    expect(await readFile(join(b, 'r.txt'), 'utf8')).toBe('saved meanwhile');
    expect(await readFile(join(b, 's.txt'), 'utf8')).toBe('old s');
    // What the run had left at r.txt was moved aside before the save landed: the line says where it is kept …
    const line = io.lines.find((l) => l.startsWith('  r.txt:')) as string;
    const kept = /kept in (\.quintet\/versions\/\S+\/r\.txt)/.exec(line)?.[1] as string;
    expect(kept).toBeDefined();
    expect(await readFile(join(b, kept), 'utf8')).toBe('new content of r');
    // … and the undo's own run lists it, so quintet versions and quintet restore find it.
    const versions = await testIo();
    expect(await main(['versions', b, '--path', 'r.txt'], versions)).toBe(EXIT.done);
    const undoRun = kept.split('/')[2] as string;
    expect(versions.lines.join('\n')).toMatch(new RegExp(`${undoRun}[^]*r\\.txt\\s+16 B`));
  });
});
