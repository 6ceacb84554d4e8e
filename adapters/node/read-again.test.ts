import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NodeDirSink } from './node-dir-sink.ts';
import { keepReads } from './read-again.ts';
import { removeTempDirs, seedDir, tempDir } from './temp-tree.ts';

afterAll(removeTempDirs);

const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);

describe('a small file read again (inventory, then copy)', () => {
  beforeEach(() => keepReads(true));
  afterEach(() => keepReads(false));

  it('gives the same bytes a second time while the file is unchanged', async () => {
    const dir = await tempDir();
    await seedDir(dir, { a: 'hello' });
    const sink = await NodeDirSink.open(dir);
    const first = await (await sink.open('a')).read(0, 5);
    const again = await (await sink.open('a')).read(0, 5);
    expect(new TextDecoder().decode(again)).toBe('hello');
    expect(again).toEqual(first);
  });

  it('refuses the kept bytes of a file changed since, and reads the new content once opened again', async () => {
    const dir = await tempDir();
    await seedDir(dir, { a: 'hello' });
    const sink = await NodeDirSink.open(dir);
    const file = await sink.open('a');
    await file.read(0, 5);
    await writeFile(join(dir, 'a'), 'hello, world');
    expect(await code(file.read(0, 5))).toBe('changed');
    const reopened = await sink.open('a');
    expect(new TextDecoder().decode(await reopened.read(0, reopened.size))).toBe('hello, world');
  });
});
