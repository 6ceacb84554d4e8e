/** `quintet create` and `quintet join --no-fsync`: parsed as `quintet local`'s, and the member's sinks then sync nothing. */
import { afterAll, describe, expect, it } from 'vitest';
import { parseCreateArgs, CREATE_HELP } from './create.ts';
import { parseJoinArgs, JOIN_HELP } from './join.ts';
import { openSources } from './cloud-setup.ts';
import { testIo } from './test-io.ts';
import { FileStore } from '../adapters/node/file-store.ts';
import { NodeDirSink } from '../adapters/node/node-dir-sink.ts';
import { nodeSyncCalls } from '../adapters/node/durable.ts';
import { removeTempDirs, seedDir, tempDir } from '../adapters/node/temp-tree.ts';

afterAll(removeTempDirs);

const PASSWORD = 'KQT4-M9PX-7HWD-3RZN';

describe('create and join take --no-fsync', () => {
  it('parses it (durable by default) and says it in both helps', () => {
    expect(parseCreateArgs(['--source', '/x'])).toMatchObject({ fsync: true });
    expect(parseCreateArgs(['--source', '/x', '--no-fsync'])).toMatchObject({ fsync: false });
    expect(parseCreateArgs(['--source', '/x', '--no-fsync', '--preset', 'mirror', '--yes', '--members', '2'])).toMatchObject({ fsync: false });
    expect(parseJoinArgs(['482-KQT-913', '--password', PASSWORD, '--source', '/x'], {})).toMatchObject({ fsync: true });
    expect(parseJoinArgs(['482-KQT-913', '--password', PASSWORD, '--source', '/x', '--no-fsync'], {})).toMatchObject({ fsync: false });
    for (const help of [CREATE_HELP, JOIN_HELP]) expect(help).toContain('--no-fsync                       do not sync written files and folders to disk');
  });

  it('the member’s sources then sync nothing; without it they sync through the durable calls', async () => {
    const [a, b, state] = [await tempDir(), await tempDir(), await tempDir()];
    await seedDir(a, { 'x.txt': 'x' });
    const seen: unknown[] = [];
    const io = await testIo({ wrapSink: (sink) => (sink instanceof NodeDirSink && seen.push(sink.sync), sink) });
    const store = new FileStore(state);
    await openSources([a, b], { store }, io, { fsync: false });
    expect(seen).toEqual([null, null]);
    seen.length = 0;
    await openSources([a], { store }, io);
    expect(seen).toEqual([nodeSyncCalls]);
  });
});
