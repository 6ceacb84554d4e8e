/** `quintet test` with real processes and a real server: an unreachable server, an absent member, a member of another protocol version. */
import { withSignalingServer } from './test-server.ts';
import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readConfig } from '../signaling/config.ts';
import { startNodeServer } from '../signaling/node-server.ts';
import { tempDir } from '../adapters/node/temp-tree.ts';
import { quintetRunner } from './cli-process.ts';

const { running, quintet } = quintetRunner();

/** A group on `server` with its hub's and two members' profiles (the hub expects `expected`). */
async function group(server: string, expected: string[]) {
  const home = await tempDir('quintet-group-');
  const create = await quintet(['group', 'create', join(home, 'hub.json'), '--name', 'Test group', '--server', server]);
  const invite = (await create.line(/^Invite \(a secret[^\n]*\n(\S+)$/m))[1] as string;
  const source = await tempDir();
  const profiles: Record<string, string> = {};
  for (const [who, part] of [['hub', 'hub'], ['m1', 'member'], ['m2', 'member']] as const) {
    if (part === 'member') expect(await (await quintet(['group', 'join', join(home, `${who}.json`), invite])).exited).toBe(0);
    profiles[who] = join(home, `${who}-profile.json`);
    await writeFile(profiles[who], JSON.stringify({ kind: 'cloud', part, group: `${who}.json`, sources: [source], preset: 'two-way', ...(part === 'hub' ? { expectedMembers: expected } : {}) }));
  }
  return profiles as { hub: string; m1: string; m2: string };
}

describe('quintet test', () => {
  const server = withSignalingServer(running);

  it('says the server is unreachable (exit 1)', async () => {
    const down = await startNodeServer({ config: readConfig({}), port: 0, staticRoot: null });
    const profiles = await group(down.url, ['branch-1']);
    await down.close();
    for (const who of ['hub', 'm1'] as const) {
      const test = await quintet(['test', profiles[who]]);
      expect(await test.exited, who).toBe(1);
      expect(test.stderr()).toMatch(new RegExp(`^server ${down.url}/?: unreachable \\(ECONNREFUSED\\)$`, 'm'));
    }
  }, 60_000);

  it('the hub names the expected member that is not online (exit 3); the online one passes on both sides', async () => {
    const profiles = await group(server.url, ['branch-1', 'branch-2']);
    const hub = await quintet(['test', profiles.hub, '--wait', '10s'], { QUINTET_NAME: 'head-office' });
    const member = await quintet(['test', profiles.m1, '--wait', '20s'], { QUINTET_NAME: 'branch-1' });
    expect(await hub.exited, hub.stderr()).toBe(3);
    expect(hub.stdout()).toMatch(/^rendezvous: created/m);
    expect(hub.stdout()).toMatch(/^member branch-1: online, protocol 1$/m);
    expect(hub.stderr()).toMatch(/^member branch-2: not online \(did not join the test within 10 s\)$/m);
    expect(await member.exited, member.stderr()).toBe(0);
    expect(member.stdout()).toMatch(/^hub head-office: online, proved it is the group's hub, protocol 1$/m);
  }, 120_000);

  it('a member announcing another protocol version is named incompatible by the hub and by itself (exit 3)', async () => {
    const profiles = await group(server.url, ['branch-1']);
    const hub = await quintet(['test', profiles.hub, '--wait', '30s'], { QUINTET_NAME: 'head-office' });
    const member = await quintet(['test', profiles.m1, '--wait', '30s'], { QUINTET_NAME: 'branch-1', QUINTET_TEST_ANNOUNCE_PROTOCOL: '99' });
    // Both sides' output in every message: a failure here (seen once in a while on a loaded machine: the hub found no
    // member) must say what the member saw.
    const both = () => `hub:\n${hub.stdout()}${hub.stderr()}\nmember:\n${member.stdout()}${member.stderr()}`;
    expect(await hub.exited, both()).toBe(3);
    expect(hub.stderr(), both()).toMatch(/^member branch-1: speaks protocol 99, this computer 1: incompatible/m);
    expect(await member.exited, both()).toBe(3);
    expect(member.stderr(), both()).toMatch(/^hub head-office: speaks protocol 1, this computer 99: incompatible/m);
  }, 120_000);

  it('speaks French: an unreachable server, an absent member, no hub online (each its own line)', async () => {
    const fr = { QUINTET_LANG: 'fr' };
    const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
    const down = await startNodeServer({ config: readConfig({}), port: 0, staticRoot: null });
    const gone = await group(down.url, ['branch-1']);
    await down.close();
    const unreachable = await quintet(['test', gone.hub], fr);
    expect(await unreachable.exited).toBe(1);
    expect(plain(unreachable.stderr())).toMatch(new RegExp(`^serveur ${down.url}/? : injoignable \\(ECONNREFUSED\\)$`, 'm'));
    const profiles = await group(server.url, ['branch-1']);
    const hub = await quintet(['test', profiles.hub, '--wait', '3s'], { ...fr, QUINTET_NAME: 'head-office' });
    expect(await hub.exited, hub.stderr()).toBe(3);
    expect(plain(hub.stdout())).toMatch(/^serveur \S+ : joignable, protocole de signalisation 1 avec rendez-vous$/m);
    expect(plain(hub.stdout())).toMatch(/^rendez-vous : créé ; attente des membres pendant au plus 3,0 s/m);
    expect(plain(hub.stderr())).toMatch(/^membre branch-1 : hors ligne \(n’a pas rejoint le test dans les 3,0 s\)$/m);
    const member = await quintet(['test', profiles.m1, '--wait', '3s'], { ...fr, QUINTET_NAME: 'branch-1' });
    expect(await member.exited, member.stderr()).toBe(3);
    expect(plain(member.stderr())).toMatch(/^pivot : hors ligne \(aucun rendez-vous de test dans les 3,0 s : lancez quintet test sur le pivot en même temps\)$/m);
  }, 90_000);

  it('refuses a bad profile before connecting (exit 2)', async () => {
    const home = await tempDir();
    await writeFile(join(home, 'p.json'), JSON.stringify({ kind: 'cloud', part: 'hub', sources: ['/x'] }));
    const test = await quintet(['test', join(home, 'p.json')]);
    expect(await test.exited).toBe(2);
    expect(test.stderr()).toContain('group:');
  }, 30_000);
});
