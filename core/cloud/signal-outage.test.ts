import { describe, expect, it } from 'vitest';
import { inMemoryWorld } from '../../signaling/testing/in-memory-world.ts';
import { settle, until } from '../../signaling/testing/cloud-members.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import { encodeMeshMessage } from '../protocol/mesh-codec.ts';
import type { CloudDeps } from './cloud-ports.ts';
import type { CloudSession } from './cloud-session.ts';
import { CloudJoinError, joinCloudSession, startCloudSession } from './join/cloud-start.ts';
import { readResumeRecord, resumeCloudSession } from './join/cloud-resume.ts';
import { backoffDelay, endsSession } from './signal-outage.ts';

type World = ReturnType<typeof inMemoryWorld>;
const names = (s: CloudSession) => s.members.map((m) => `${m.letter}:${m.name}`);
const meshed = (all: CloudSession[]) => until(() => all.every((s) => s.members.length === all.length && s.members.every((m) => m.connected && !m.away && m.name !== '')));

/** Member ports whose signaling connections are counted (each retry is one). */
function counted(deps: CloudDeps): { deps: CloudDeps; attempts: () => number } {
  let n = 0;
  return {
    deps: { ...deps, signal: { connect: (o) => (n++, deps.signal.connect(o)) } },
    attempts: () => n,
  };
}

async function three(w: World, leader: CloudDeps = w.deps('alpha')) {
  const a = await startCloudSession(leader);
  const b = await joinCloudSession(w.deps('bravo'), { sessionId: a.sessionId, password: a.password });
  const c = await joinCloudSession(w.deps('charlie'), { sessionId: a.sessionId, password: a.password });
  await meshed([a, b, c]);
  return { a, b, c };
}

describe('backoff and close codes', () => {
  it('retries after 1 s, doubling to 30 s; only a close that releases the slot ends the session', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(backoffDelay)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect([1006, 1001, 1011, 1012].map(endsSession)).toEqual([false, false, false, false]);
    expect([1000, 4400, 4401, 4404, 4408, 4412, 4429].map(endsSession)).toEqual([true, true, true, true, true, true, true]);
  });
});

describe('the signaling server restarts while the mesh stays up (docs/protocol.md §8, Signaling offline)', () => {
  it('the session goes on over the mesh, the leader retries with backoff, re-homes, and then a join and a reload work again', async () => {
    const clock = new ManualClock();
    const w = inMemoryWorld({ clock });
    const leader = counted(w.deps('alpha'));
    const { a, b, c } = await three(w, leader.deps);
    const states: string[] = [];
    b.on('signal.changed', (s) => states.push(s));
    const ended: string[] = [];
    for (const s of [a, b, c]) s.on('ended', (why) => ended.push(why));

    w.stop();
    await until(() => [a, b, c].every((s) => s.signalState === 'offline'));
    expect(ended).toEqual([]);
    for (const s of [a, b, c]) expect(names(s)).toEqual(['A:alpha', 'B:bravo', 'C:charlie']);
    // Profiles, settings and rounds go over the mesh as before.
    b.setName('bravo-2');
    await a.startInventory('round-offline');
    await until(() => a.members[1]!.name === 'bravo-2' && c.members[1]!.name === 'bravo-2' && c.phase === 'inventory' && b.phase === 'inventory');
    // Nobody can join meanwhile: the server does not answer.
    await expect(joinCloudSession(w.deps('delta'), { sessionId: a.sessionId, password: a.password })).rejects.toEqual(new CloudJoinError('network'));

    // The leader retries after 1 s, 2 s, 4 s… (the server is still down).
    const before = leader.attempts();
    clock.advance(999);
    await settle(5);
    expect(leader.attempts()).toBe(before);
    clock.advance(1);
    await until(() => leader.attempts() === before + 1);
    clock.advance(1999);
    await settle(5);
    expect(leader.attempts()).toBe(before + 1);
    clock.advance(1);
    await until(() => leader.attempts() === before + 2);
    expect(a.signalState).toBe('offline');

    // The server is back: the leader re-creates the session under its ID, the members claim their new connections.
    w.start();
    clock.advance(4000);
    await until(() => [a, b, c].every((s) => s.signalState === 'online'));
    expect(states).toEqual(['offline', 'rehoming', 'online']);
    expect(w.hub.hasSession(a.sessionId)).toBe(true);
    const aliases = a.resumeRecord()?.aliases ?? {};
    expect(Object.keys(aliases).sort()).toEqual([a.self, b.self, c.self].sort());
    expect(ended).toEqual([]);

    // A newcomer joins with the password, under the same session ID, and meets everyone on the mesh.
    const d = await joinCloudSession(w.deps('delta'), { sessionId: a.sessionId, password: a.password });
    await meshed([a, b, c, d]);
    expect(names(d)).toEqual(['A:alpha', 'B:bravo-2', 'C:charlie', 'D:delta']);
    expect(new Set([a, b, c, d].map((s) => s.safetyWords.join(' '))).size).toBe(1);

    // C reloads and takes its place back on the re-homed server.
    const record = readResumeRecord(JSON.parse(JSON.stringify(c.resumeRecord())));
    expect(record?.slot).toBe(aliases[c.self]);
    c.mesh.close();
    w.drop('charlie');
    await until(() => a.members[2]!.away === true);
    const back = await resumeCloudSession(w.deps('charlie'), record!);
    await meshed([a, b, back, d]);
    expect(names(back)).toEqual(['A:alpha', 'B:bravo-2', 'C:charlie', 'D:delta']);
  });

  it('a second restart after a re-home re-homes again (the aliases move on, the mesh IDs stay)', async () => {
    const clock = new ManualClock();
    const w = inMemoryWorld({ clock });
    const { a, b, c } = await three(w);
    const selves = [a, b, c].map((s) => s.self);
    const aliasesSeen: string[][] = [];
    for (let round = 0; round < 2; round++) {
      w.stop();
      await until(() => [a, b, c].every((s) => s.signalState === 'offline'));
      w.start();
      clock.advance(30_000);
      await until(() => [a, b, c].every((s) => s.signalState === 'online'));
      aliasesSeen.push(Object.values(a.resumeRecord()!.aliases!).sort());
    }
    expect(new Set(aliasesSeen.flat()).size).toBe(6); // new connection IDs each time
    expect([a, b, c].map((s) => s.self)).toEqual(selves);
    const d = await joinCloudSession(w.deps('delta'), { sessionId: a.sessionId, password: a.password });
    await meshed([a, b, c, d]);
  });

  it('the leader re-admits members in join order, so after it leaves the next member validates a newcomer', async () => {
    const clock = new ManualClock();
    const w = inMemoryWorld({ clock });
    // B's connections open late (once re-homing): C knocks and claims first, and must wait for B.
    let slow = false;
    const bravo = w.deps('bravo');
    const lateB: CloudDeps = {
      ...bravo,
      signal: {
        connect: (o) => {
          if (!slow) return bravo.signal.connect(o);
          let real: ReturnType<CloudDeps['signal']['connect']> | null = null;
          setTimeout(() => (real = bravo.signal.connect(o)), 200);
          return { send: (m) => real?.send(m), close: () => real?.close() };
        },
      },
    };
    const a = await startCloudSession(w.deps('alpha'));
    const b = await joinCloudSession(lateB, { sessionId: a.sessionId, password: a.password });
    const c = await joinCloudSession(w.deps('charlie'), { sessionId: a.sessionId, password: a.password });
    await meshed([a, b, c]);
    const cOnline: string[] = [];
    c.on('signal.changed', (s) => s === 'online' && cOnline.push(b.signalState));
    w.stop();
    await until(() => [a, b, c].every((s) => s.signalState === 'offline'));
    slow = true;
    w.start();
    clock.advance(1000);
    await until(() => [a, b, c].every((s) => s.signalState === 'online'));
    expect(cOnline).toEqual(['online']); // C was let in only once B was
    await a.exit();
    await until(() => b.isLeader && c.members.length === 2);
    slow = false;
    const d = await joinCloudSession(w.deps('delta'), { sessionId: b.sessionId, password: b.password });
    await meshed([b, c, d]);
    expect(names(d)).toEqual(['A:bravo', 'B:charlie', 'C:delta']);
  });

  it('a member whose channel closes while the server is down counts as gone; a member whose own socket fails alone ends as before', async () => {
    const w = inMemoryWorld();
    const { a, b, c } = await three(w);
    const dropped: string[] = [];
    a.on('member.dropped', (id, why) => dropped.push(`${id === c.self ? 'C' : id}:${why}`));
    w.stop();
    await until(() => [a, b, c].every((s) => s.signalState === 'offline'));
    c.mesh.close();
    await until(() => a.members.length === 2 && b.members.length === 2);
    expect(dropped).toEqual(['C:signal-offline']);
    expect(a.epoch).toBe(1); // a departure rotates the key, over the mesh
    for (const s of [a, b, c]) s.mesh.close();
    await a.exit();
    await b.exit();

    // The server is up, only D's network to it fails: the others hear `away` and close its channel, so it has nothing left.
    w.start();
    const x = await three(w);
    const ended: string[] = [];
    x.b.on('ended', (why) => ended.push(why));
    w.sever('bravo');
    await until(() => ended.length === 1);
    expect(ended).toEqual(['closed']);
    expect(x.b.phase).toBe('ended');
  });
});

describe('hostile re-homes', () => {
  it('a stranger squatting the session ID gets no member; a non-leader cannot name a rendezvous; nobody claims another member’s connection', async () => {
    const clock = new ManualClock();
    const w = inMemoryWorld({ clock });
    const { a, b, c } = await three(w);
    w.stop();
    await until(() => [a, b, c].every((s) => s.signalState === 'offline'));

    // B forges a rendezvous: A and C refuse it (leader-only), C does not knock anywhere.
    const refusals: string[] = [];
    for (const s of [a, c]) s.on('refused', (from, type, why) => refusals.push(`${from === b.self ? 'B' : from}:${type}:${why}`));
    await b.mesh.broadcast(encodeMeshMessage({ type: 'signal-home', v: 1, leader: 'ffffffffffffffff', aliases: {} }));
    await until(() => refusals.length === 2);
    expect(refusals).toEqual(['B:signal-home:not-leader', 'B:signal-home:not-leader']);
    expect(c.signalState).toBe('offline');

    // A stranger is first on the fresh server under the session's ID: the leader's re-create is refused (4412), nobody
    // knocks at the stranger's, the mesh goes on; once the stranger goes, the leader's next retry re-homes.
    w.start();
    let squatting = true;
    const stranger = w.deps('eve').signal.connect({ session: a.sessionId, create: true, handlers: { onMessage: () => undefined, onClose: () => (squatting = false) } });
    await settle(5);
    clock.advance(1000);
    await settle(20);
    expect(squatting).toBe(true);
    expect([a, b, c].map((s) => s.signalState)).toEqual(['offline', 'offline', 'offline']);
    stranger.close();
    clock.advance(2000);
    await until(() => [a, b, c].every((s) => s.signalState === 'online'));
    expect(w.hub.stats().sessions).toBe(1);

    // B names C's connection (or A's) as its own: the leader refuses both, C's alias stays.
    const drops: string[] = [];
    a.on('dropped', (from, why) => drops.push(`${from === b.self ? 'B' : from}:${why}`));
    const aliases = a.resumeRecord()!.aliases!;
    await b.mesh.send(a.self, encodeMeshMessage({ type: 'signal-claim', v: 1, id: aliases[c.self]! }));
    await b.mesh.send(a.self, encodeMeshMessage({ type: 'signal-claim', v: 1, id: aliases[a.self]! }));
    await b.mesh.send(a.self, encodeMeshMessage({ type: 'signal-claim', v: 1, id: c.self }));
    // B, who does not lead, admits no one; and C, once in, can name only a connection of its own: not B's, not A's.
    const bDrops: string[] = [];
    b.on('dropped', (from, why) => bDrops.push(`${from === c.self ? 'C' : from}:${why}`));
    await c.mesh.send(b.self, encodeMeshMessage({ type: 'signal-claim', v: 1, id: 'eeeeeeeeeeeeeeee' }));
    await c.mesh.send(b.self, encodeMeshMessage({ type: 'signal-claim', v: 1, id: aliases[b.self]!, admitted: true }));
    await c.mesh.send(b.self, encodeMeshMessage({ type: 'signal-claim', v: 1, id: aliases[a.self]!, admitted: true }));
    await until(() => drops.length === 3 && bDrops.length === 3);
    expect(drops).toEqual(['B:signal-claim-taken', 'B:signal-claim-taken', 'B:signal-claim-taken']);
    expect(bDrops).toEqual(['C:signal-claim-not-leader', 'C:signal-claim-taken', 'C:signal-claim-taken']);
    expect(b.resumeRecord()!.aliases).toEqual(aliases);
    expect(a.resumeRecord()!.aliases![c.self]).toBe(aliases[c.self]);
    // The session still works through the server: a newcomer gets in.
    const d = await joinCloudSession(w.deps('delta'), { sessionId: a.sessionId, password: a.password });
    await meshed([a, b, c, d]);
  });
});
