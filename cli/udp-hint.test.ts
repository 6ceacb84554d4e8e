/**
 * The hint about a small system UDP receive buffer (adapters/node/udp-buffers.ts) from the commands that open a mesh,
 * run in this process against a real signaling server, the buffer's value injected through the io: once on stderr,
 * never on stdout, silenced by QUINTET_QUIET_HINTS=1, absent at 4 MiB and from a local run.
 */
import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withSignalingServer } from './test-server.ts';
import { eventually } from './cli-process.ts';
import { main } from './main.ts';
import { EXIT } from './exit-codes.ts';
import { testIo, type TestIo } from './test-io.ts';
import { tempDir } from '../adapters/node/temp-tree.ts';
import { generatePassword } from '../core/crypto/password.ts';
import { nodeRandom } from '../adapters/node/cloud-deps.ts';

const SMALL = 212_992;
const hintsIn = (lines: readonly string[]) => lines.filter((l) => l.includes('net.core.rmem_default')).length;

/** A leader's `create` (no preset: it stays) until it is in its session, then Ctrl-C; its io for the assertions. */
async function createThenLeave(server: string, rmem: number | undefined, env: Record<string, string> = {}): Promise<TestIo> {
  const io = await testIo({ rmemDefault: () => rmem });
  Object.assign(io.env, env);
  const leader = main(['create', '--source', await tempDir(), '--server', server, '--name', 'nas'], io);
  await eventually(async () => io.lines.includes('In the session as its leader; Ctrl-C leaves it.'));
  io.controller.abort('SIGINT');
  expect(await leader, io.text()).toBe(EXIT.interrupted);
  return io;
}

describe('the UDP receive buffer hint', () => {
  const server = withSignalingServer([]);

  it('create prints it once on stderr, none of it on stdout', async () => {
    const io = await createThenLeave(server.url, SMALL);
    expect(hintsIn(io.errors)).toBe(1);
    const hint = io.errors.find((l) => l.includes('net.core.rmem_default')) ?? '';
    expect(hint).toContain('net.core.rmem_default = 212992');
    expect(hint).toContain('sudo sysctl -w net.core.rmem_default=4194304 net.core.rmem_max=4194304');
    expect(io.lines.join('\n')).not.toMatch(/rmem|sysctl|UDP/);
    expect(io.lines.join('\n')).toMatch(/^Invite link: /m);
  }, 60_000);

  it('QUINTET_QUIET_HINTS=1 silences it; a 4 MiB default or an unreadable one prints none', async () => {
    expect(hintsIn((await createThenLeave(server.url, SMALL, { QUINTET_QUIET_HINTS: '1' })).errors)).toBe(0);
    expect(hintsIn((await createThenLeave(server.url, 4_194_304)).errors)).toBe(0);
    expect(hintsIn((await createThenLeave(server.url, undefined)).errors)).toBe(0);
  }, 90_000);

  it('join prints it on stderr too, even when the join then fails (no such session: exit 2)', async () => {
    const io = await testIo({ rmemDefault: () => SMALL });
    const code = await main(['join', '482-KQT-913', '--password', generatePassword(nodeRandom), '--source', await tempDir(), '--server', server.url], io);
    expect(code, io.text()).toBe(EXIT.couldNotStart);
    expect(hintsIn(io.errors)).toBe(1);
    expect(hintsIn(io.lines)).toBe(0);
    expect(io.errors.join('\n')).toMatch(/no such session/);
  }, 60_000);

  it('quintet run: a cloud profile says it once at start, a local profile never', async () => {
    const home = await tempDir('quintet-group-');
    const setup = await testIo();
    expect(await main(['group', 'create', join(home, 'hub.json'), '--name', 'Hinted', '--server', server.url], setup), setup.text()).toBe(EXIT.done);
    const hub = join(home, 'hub-profile.json');
    await writeFile(hub, JSON.stringify({ kind: 'cloud', part: 'hub', group: 'hub.json', sources: [await tempDir()], preset: 'two-way', expectedMembers: ['branch-1'], maxWait: '1s' }));
    const io = await testIo({ rmemDefault: () => SMALL });
    io.env.QUINTET_HOME = await tempDir('quintet-home-');
    expect(await main(['run', hub, '--now'], io), io.text()).toBe(EXIT.doneWithIssues); // nobody came: no-members
    expect(hintsIn(io.errors)).toBe(1);
    expect(hintsIn(io.lines)).toBe(0);

    const local = join(home, 'local-profile.json');
    await writeFile(local, JSON.stringify({ kind: 'local', sources: [await tempDir(), await tempDir()], preset: 'mirror' }));
    const localIo = await testIo({ rmemDefault: () => SMALL });
    localIo.env.QUINTET_HOME = await tempDir('quintet-home-');
    expect(await main(['run', local, '--now'], localIo), localIo.text()).toBe(EXIT.done);
    expect(hintsIn([...localIo.errors, ...localIo.lines])).toBe(0);
  }, 60_000);
});
