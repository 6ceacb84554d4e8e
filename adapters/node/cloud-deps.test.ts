/** A Cloud Session between two Node members built by nodeCloudDeps, through the real signaling server and real WebRTC. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../signaling/config.ts';
import { startNodeServer, type NodeServer } from '../../signaling/node-server.ts';
import { CloudJoinError, joinCloudSession, startCloudSession } from '../../core/cloud/join/cloud-start.ts';
import type { CloudSession } from '../../core/cloud/cloud-session.ts';
import { generatePassword } from '../../core/crypto/password.ts';
import { nodeCloudDeps, nodeRandom } from './cloud-deps.ts';

/** Resolves once `check` holds, looking again at every change either session reports. */
function until(sessions: CloudSession[], check: () => boolean): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve) => {
    const stops: (() => void)[] = [];
    const look = () => {
      if (!check()) return;
      stops.forEach((stop) => stop());
      resolve();
    };
    for (const session of sessions) for (const event of ['members.changed', 'safety.changed'] as const) stops.push(session.on(event, look));
  });
}

/** Both sides list both members, each with its channel open and the other's chosen name. */
const seesAll = (session: CloudSession, names: string[]) =>
  session.members.length === names.length && session.members.every((m) => m.connected && names.includes(m.name));

describe('Cloud Session between two Node members', () => {
  let server: NodeServer;
  const sessions: CloudSession[] = [];
  beforeAll(async () => {
    server = await startNodeServer({ config: readConfig({}), port: 0, staticRoot: null });
  });
  afterAll(async () => {
    for (const session of sessions) await session.exit().catch(() => {});
    await server.close();
  });

  it('creates, joins with the password, both see each other, equal safety words, a sealed message goes through', async () => {
    const leader = await startCloudSession(nodeCloudDeps({ server: server.url, deviceName: 'nas' }));
    sessions.push(leader);
    expect(leader.isLeader).toBe(true);
    const member = await joinCloudSession(nodeCloudDeps({ server: server.url, deviceName: 'office' }), { sessionId: leader.sessionId, password: leader.password });
    sessions.push(member);

    const both = [leader, member];
    await until(both, () => seesAll(leader, ['nas', 'office']) && seesAll(member, ['nas', 'office']));
    expect(member.members.map((m) => [m.letter, m.name, m.self])).toEqual([['A', 'nas', false], ['B', 'office', true]]);
    expect(leader.members.map((m) => [m.letter, m.name, m.self])).toEqual([['A', 'nas', true], ['B', 'office', false]]);

    const words = () => leader.safetyWords.length > 0 && leader.safetyWords.join() === member.safetyWords.join();
    await until(both, words);
    expect(leader.safetyWords.length).toBeGreaterThan(0);
    expect(member.safetyWords).toEqual(leader.safetyWords);

    // A profile is a sealed mesh message over the data channel (never through the server): the leader shows the new name.
    member.setName('office-2');
    await until(both, () => leader.members.some((m) => m.name === 'office-2'));
  }, 60_000);

  it('refuses a wrong password', async () => {
    const leader = await startCloudSession(nodeCloudDeps({ server: server.url, deviceName: 'nas' }));
    sessions.push(leader);
    const wrong = generatePassword(nodeRandom);
    expect(wrong).not.toBe(leader.password);
    const joining = joinCloudSession(nodeCloudDeps({ server: server.url, deviceName: 'intruder' }), { sessionId: leader.sessionId, password: wrong });
    await expect(joining).rejects.toBeInstanceOf(CloudJoinError);
    await expect(joining).rejects.toMatchObject({ reason: 'wrong-password' });
    expect(leader.members.map((m) => m.name)).toEqual(['nas']);
  }, 60_000);

  it('reports a server that is down as a network failure', async () => {
    const down = await startNodeServer({ config: readConfig({}), port: 0, staticRoot: null });
    await down.close();
    const starting = startCloudSession(nodeCloudDeps({ server: down.url }));
    await expect(starting).rejects.toMatchObject({ name: 'CloudJoinError', reason: 'network' });
  });
});
