/**
 * A cloud member whose folder cannot be flushed to disk: the leader runs in this process (its target's directory fsync
 * made to fail EIO through the sink's sync port, as cli/local-fsync.test.ts does), the member is a real process; both
 * print the leader's unflushed target under its result, and the leader exits 3.
 */
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withSignalingServer } from './test-server.ts';
import { eventually, quintetRunner } from './cli-process.ts';
import { main } from './main.ts';
import { EXIT } from './exit-codes.ts';
import { testIo } from './test-io.ts';
import { NodeDirSink } from '../adapters/node/node-dir-sink.ts';
import { seedDir, tempDir } from '../adapters/node/temp-tree.ts';

const { running, quintet } = quintetRunner();
const eio = () => Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });

describe('quintet create / join: a target not flushed to disk', () => {
  const server = withSignalingServer(running);

  it('the leader’s own target: printed by both, the leader exits 3, the files stay', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(b, { 'report.txt': 'from B', sub: { 'n.txt': 'nested' } });
    const io = await testIo({
      wrapSink: (sink, dir) => {
        if (dir === a && sink instanceof NodeDirSink && sink.sync) sink.sync = { ...sink.sync, syncDir: () => Promise.reject(eio()) };
        return sink;
      },
    });
    const leader = main(['create', '--source', a, '--server', server.url, '--name', 'nas', '--preset', 'mirror', '--from', 'B1', '--to', 'A1', '--yes', '--members', '2'], io);
    let link = '';
    await eventually(async () => {
      link = /^Invite link: +(\S+)/m.exec(io.lines.join('\n'))?.[1] ?? '';
      return link !== '';
    });
    const member = await quintet(['join', link, '--source', b, '--server', server.url, '--name', 'office']);
    expect(await leader, io.text()).toBe(EXIT.doneWithIssues);
    const line = /^ {2}not flushed to disk \(A1\): could not flush \d+ folders (?=.*\bsub\b)(?=.*\.quintet\/runs).* to disk, so the names written there may not survive a power cut: EIO: i\/o error, fsync$/m;
    expect(io.lines.join('\n')).toMatch(/^A nas \(this computer\): 3 done, 0 failed, 0 skipped/m);
    expect(io.lines.join('\n')).toMatch(line);
    expect(io.lines.join('\n')).toContain('Synchronization finished with failed, skipped or unflushed items on every member.');
    await member.line(line);
    expect(await readFile(join(a, 'report.txt'), 'utf8')).toBe('from B');
    expect(await readFile(join(a, 'sub', 'n.txt'), 'utf8')).toBe('nested');
    expect(await member.interrupt()).toBe(130);
  }, 180_000);
});
