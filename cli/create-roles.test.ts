/** `quintet create --role`: parsed strictly, and a real leader process with B send-only never writes B in a Two-way. */
import { describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withSignalingServer } from './test-server.ts';
import { seedDir, tempDir } from '../adapters/node/temp-tree.ts';
import { quintetRunner, sessionOf } from './cli-process.ts';
import { parseCreateArgs } from './create.ts';
import { parseJoinArgs } from './join.ts';
import { UsageError } from './exit-codes.ts';

const PASSWORD = 'KQT4-M9PX-7HWD-3RZN';
const { running, quintet } = quintetRunner();

describe('quintet create --role', () => {
  const server = withSignalingServer(running);

  it('takes <letter>=<role>, repeatable; anything else, or without --preset, is a usage error', () => {
    const base = ['--source', '/x', '--preset', 'two-way', '--yes', '--members', '3'];
    expect(parseCreateArgs([...base, '--role', 'B=send-only', '--role', 'C=receive-only'])).toMatchObject({ roles: { B: 'send-only', C: 'receive-only' } });
    for (const bad of ['B=read-only', 'F=send-only', 'b=send-only', 'B']) expect(() => parseCreateArgs([...base, '--role', bad])).toThrow(UsageError);
    expect(() => parseCreateArgs(['--source', '/x', '--role', 'B=send-only'])).toThrow(/--role goes with --preset/);
  });

  it('a leader with B send-only: Two-way brings B’s file to A and never writes B; the skipped item is reported', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'from-a.txt': 'A only' });
    await seedDir(b, { 'from-b.txt': 'B only' });
    const leader = await quintet(['create', '--source', a, '--server', server.url, '--name', 'nas', '--preset', 'two-way', '--yes', '--members', '2', '--role', 'B=send-only']);
    const { link } = await sessionOf(leader);
    const member = await quintet(['join', link, '--source', b, '--server', server.url, '--name', 'office']);
    expect(await leader.exited, leader.stderr()).toBe(3); // done, with a skipped item
    expect(leader.stdout()).toContain('Roles: B send-only.');
    expect(leader.stdout()).toMatch(/from-a\.txt — its member is send only: never written \(B1\)/);
    expect(await readFile(join(a, 'from-b.txt'), 'utf8')).toBe('B only');
    expect((await readdir(b)).filter((n) => n !== '.quintet').sort()).toEqual(['from-b.txt']);
    expect(await member.interrupt()).toBe(130);
  }, 180_000);

  it('a receive-only member under `join --local-changes revert`: its own file is listed, then reverted into its versions', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await seedDir(a, { 'from-a.txt': 'A only' });
    await seedDir(b, { 'b-only.txt': 'B made this' });
    const leader = await quintet(['create', '--source', a, '--server', server.url, '--name', 'nas', '--preset', 'two-way', '--yes', '--members', '2', '--role', 'B=receive-only']);
    const { link } = await sessionOf(leader);
    const member = await quintet(['join', link, '--source', b, '--server', server.url, '--name', 'backup', '--local-changes', 'revert']);
    expect(await leader.exited, leader.stderr()).toBe(3); // B's file was not carried over: skipped, with its reason
    expect(leader.stdout()).toMatch(/b-only\.txt — a local change of a receive-only member: not carried over \(B1\)/);
    await member.line(/Local changes reverted: (\d+) done, 0 failed/, 60_000);
    expect(member.stdout()).toContain('Local changes of this receive-only member (1), not carried to the others:');
    expect(member.stdout()).toContain('  created B1 b-only.txt');
    expect((await readdir(b)).filter((n) => n !== '.quintet').sort()).toEqual(['from-a.txt']);
    const runs = await readdir(join(b, '.quintet', 'versions'));
    expect(await readFile(join(b, '.quintet', 'versions', runs[0] as string, 'b-only.txt'), 'utf8')).toBe('B made this');
    expect((await readdir(a)).filter((n) => n !== '.quintet')).toEqual(['from-a.txt']);
    expect(await member.interrupt()).toBe(130);
  }, 180_000);

  it('`join --local-changes` takes keep or revert only', () => {
    expect(parseJoinArgs(['482-KQT-913', '--password', PASSWORD, '--local-changes', 'revert'], {})).toMatchObject({ localChanges: 'revert' });
    expect(parseJoinArgs(['482-KQT-913', '--password', PASSWORD], {})).toMatchObject({ localChanges: 'keep' });
    expect(() => parseJoinArgs(['482-KQT-913', '--password', PASSWORD, '--local-changes', 'drop'], {})).toThrow(/expected keep or revert/);
  });
});
