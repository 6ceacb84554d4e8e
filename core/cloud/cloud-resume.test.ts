import { describe, expect, it } from 'vitest';
import { inMemoryWorld } from '../../signaling/testing/in-memory-world.ts';
import { settle, until } from '../../signaling/testing/cloud-members.ts';
import type { CloudSession } from './cloud-session.ts';
import type { ResumeRecord } from './cloud-session-types.ts';
import { CloudJoinError, joinCloudSession, startCloudSession } from './join/cloud-start.ts';
import { readResumeRecord, resumeCloudSession } from './join/cloud-resume.ts';
import { RESUME_PROOF_MS } from './join/resume-keys.ts';
import { ManualClock } from '../testing/manual-clock.ts';

const view = (s: CloudSession) => s.members.map((m) => `${m.letter}:${m.name}${m.self ? '*' : ''}${m.away ? ' (away)' : ''}`);
// Names come in each member's hello, after its channel opens: a view read before that shows an empty name.
const meshed = (all: CloudSession[]) => until(() => all.every((s) => s.members.length === all.length && s.members.every((m) => m.connected && !m.away && m.name !== '')));

/** A page reload as the session sees it: its channels and its signaling socket drop, nothing said; what it kept survives. */
function reload(w: ReturnType<typeof inMemoryWorld>, name: string, s: CloudSession): ResumeRecord {
  const record = readResumeRecord(JSON.parse(JSON.stringify(s.resumeRecord())));
  if (!record) throw new Error('no resume record');
  s.mesh.close();
  w.drop(name);
  return record;
}

async function three(w: ReturnType<typeof inMemoryWorld>) {
  const a = await startCloudSession(w.deps('alpha'));
  const b = await joinCloudSession(w.deps('bravo'), { sessionId: a.sessionId, password: a.password });
  const c = await joinCloudSession(w.deps('charlie'), { sessionId: a.sessionId, password: a.password });
  c.setSources([{ name: 'Photos', kind: 'directory' }]);
  await meshed([a, b, c]);
  await until(() => a.members[2]!.sources.length === 1);
  return { a, b, c };
}

describe('a member back from a reload takes its place again (docs/protocol.md §8, Reload)', () => {
  it('C reloads: the others show it reconnecting with its letter, a run is reset, and it comes back as C with a fresh ID', async () => {
    const w = inMemoryWorld();
    const { a, b, c } = await three(w);
    await a.startInventory('round-1');
    await settle();
    const record = reload(w, 'charlie', c);
    expect(JSON.stringify(record)).not.toContain(a.password);
    await until(() => a.members[2]!.away === true && b.members[2]!.away === true);
    expect(view(a)).toEqual(['A:alpha*', 'B:bravo', 'C:charlie (away)']);
    expect(a.members[2]!.sources).toEqual([{ name: 'Photos', kind: 'directory' }]); // still shown while it reloads
    expect(a.phase).toBe('waiting'); // the round could not go on without C
    expect(a.epoch).toBe(0); // nobody's secret changed
    await expect(a.startInventory('round-x')).rejects.toThrow(/reconnecting/); // C would never hear it
    const password = a.password;

    const back = await resumeCloudSession(w.deps('charlie'), record);
    back.setSources([{ name: 'Photos', kind: 'directory' }]);
    await meshed([a, b, back]);
    expect(back.self).not.toBe(c.self);
    for (const s of [a, b, back]) expect(s.members.map((m) => `${m.letter}:${m.name}`)).toEqual(['A:alpha', 'B:bravo', 'C:charlie']);
    expect(view(back)).toEqual(['A:alpha', 'B:bravo', 'C:charlie*']);
    await until(() => back.password === password); // from the leader's roster; it kept none
    expect(a.password).toBe(password);
    expect(new Set([a, b, back].map((s) => s.safetyWords.join(' '))).size).toBe(1);
    await until(() => a.members[2]!.sources.length === 1);
    // The mesh works both ways under the same epoch (new pair keys: new ID).
    await a.startInventory('round-2');
    await settle();
    expect(back.phase).toBe('inventory');
  }, 30_000);

  it('A reloads: the session stays, nobody leads meanwhile, and A is back as leader with a new password everyone adopts', async () => {
    const w = inMemoryWorld();
    const { a, b, c } = await three(w);
    const before = a.password;
    const why: string[] = [];
    b.on('password.changed', (_password, reason) => why.push(reason ?? 'left'));
    const record = reload(w, 'alpha', a);
    await until(() => b.members[0]!.away === true && c.members[0]!.away === true);
    expect(b.isLeader).toBe(false);
    expect(view(b)).toEqual(['A:alpha (away)', 'B:bravo*', 'C:charlie']);
    const back = await resumeCloudSession(w.deps('alpha'), record);
    await meshed([back, b, c]);
    expect(back.isLeader).toBe(true);
    expect(view(c)).toEqual(['A:alpha', 'B:bravo', 'C:charlie*']);
    await until(() => b.password === back.password && c.password === back.password);
    expect(back.password).not.toBe(before);
    expect(why).toEqual(['leader-back']);
    // A leads: its restart rotates the key for everyone.
    await back.restart();
    await until(() => [back, b, c].every((s) => s.epoch === 1));
    // And it admits a newcomer with the new password.
    const d = await joinCloudSession(w.deps('delta'), { sessionId: back.sessionId, password: back.password });
    await meshed([back, b, c, d]);
    await until(() => d.members.every((m) => m.name !== ''));
    expect(view(d)).toEqual(['A:alpha', 'B:bravo', 'C:charlie', 'D:delta*']);
  }, 30_000);

  it('a member not back within the grace leaves as before: re-lettered, new password; its record is then refused', async () => {
    const w = inMemoryWorld({ env: { QUINTET_RESUME_GRACE_MS: '50' } });
    const { a, b, c } = await three(w);
    const password = a.password;
    const record = reload(w, 'bravo', b);
    await until(() => a.members[1]!.away === true);
    await new Promise((r) => setTimeout(r, 80));
    w.hub.sweep();
    await until(() => a.members.length === 2 && c.members.length === 2);
    expect(view(c)).toEqual(['A:alpha', 'B:charlie*']);
    await until(() => c.password !== password && c.password === a.password);
    const late = await resumeCloudSession(w.deps('bravo'), record).catch((e: unknown) => e);
    expect((late as CloudJoinError).reason).toBe('no-such-session');
  }, 30_000);

  it('a wrong token is refused like a wrong password and counted; the slot stays for the right one', async () => {
    const w = inMemoryWorld();
    const { a, b, c } = await three(w);
    const record = reload(w, 'charlie', c);
    const forged = await resumeCloudSession(w.deps('mallory', '198.51.100.66'), { ...record, token: 'f'.repeat(64) }).catch((e: unknown) => e);
    expect((forged as CloudJoinError).reason).toBe('wrong-password');
    expect(w.failures).toEqual(['198.51.100.66']);
    const back = await resumeCloudSession(w.deps('charlie'), record);
    await meshed([a, b, back]);
    // The token was single use: the kept record no longer opens the slot.
    const replay = await resumeCloudSession(w.deps('mallory', '198.51.100.66'), { ...record, self: back.self }).catch((e: unknown) => e);
    expect((replay as CloudJoinError).reason).toBe('wrong-password');
    expect(w.failures).toHaveLength(2);
  }, 30_000);

  it('B reloads, meanwhile C leaves and the key rotates: B proves its identity to the leader, gets the new key, and its channels open', async () => {
    const w = inMemoryWorld();
    const { a, b, c } = await three(w);
    const d = await joinCloudSession(w.deps('delta'), { sessionId: a.sessionId, password: a.password });
    await meshed([a, b, c, d]);
    // B's identity reached the others over the mesh before it went away (its profile carries the public key).
    await until(() => a.members.every((m) => m.name !== ''));
    const record = reload(w, 'bravo', b);
    expect(record.identity).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await until(() => a.members[1]!.away === true && d.members[1]!.away === true);
    await c.exit();
    await until(() => a.epoch === 1 && d.epoch === 1 && a.members.length === 3);
    expect(record.epoch).toBe(0); // what B kept is one epoch behind

    const drops: string[] = [];
    a.on('dropped', (_from, reason) => drops.push(reason));
    const back = await resumeCloudSession(w.deps('bravo'), record);
    await meshed([a, back, d]);
    expect(back.epoch).toBe(1);
    expect(view(back)).toEqual(['A:alpha', 'B:bravo*', 'C:delta']);
    await until(() => back.password === a.password);
    expect(new Set([a, back, d].map((s) => s.safetyWords.join(' '))).size).toBe(1);
    expect(drops).toEqual([]);
    // Its record now holds the new epoch's key, and the same identity for the next reload.
    await until(() => back.resumeRecord()?.epoch === 1);
    expect(back.resumeRecord()?.identity).toBe(record.identity);
    await a.startInventory('round-after');
    await settle();
    expect(back.phase).toBe('inventory');
    expect(d.phase).toBe('inventory');
  }, 30_000);

  it('a departed member holding the old key and a slot the server gave it cannot get the new key: a wrong proof, counted, and dropped', async () => {
    const w = inMemoryWorld();
    const { a, b, c } = await three(w);
    await until(() => a.members.every((m) => m.name !== ''));
    const bravo = reload(w, 'bravo', b);
    await until(() => a.members[1]!.away === true);
    // C knew everything a member knows (the epoch-0 key, B's public identity, its own identity seed) and leaves.
    const charlie = c.resumeRecord()!;
    await c.exit();
    await until(() => a.epoch === 1 && a.members.length === 2);
    const drops: Array<[string, string]> = [];
    a.on('dropped', (from, reason) => drops.push([from, reason]));
    // A hostile server hands C the slot B left (here: C presents B's token), with the key it kept.
    const impostor = await resumeCloudSession(w.deps('charlie', '198.51.100.77'), { ...bravo, identity: charlie.identity! });
    await until(() => drops.some(([, reason]) => reason === 'resume-proof-failed'));
    expect(drops.find(([, reason]) => reason === 'resume-proof-failed')![0]).toBe(impostor.self);
    // The leader drops it from its roster (a member gone: the order and the password move on) and never sealed a key for it.
    await until(() => a.members.length === 1);
    await settle();
    expect(impostor.epoch).toBe(0);
    expect(impostor.mesh.keys.has(1)).toBe(false);
    expect(impostor.mesh.connected).toEqual([]);
  }, 30_000);

  it('a member and a hostile server put the member’s second connection in C’s slot while C reloads: with no proof of C’s identity, nobody opens a channel to it, and it is dropped', async () => {
    // No rotation: the impostor holds the current key (B is a member). Before, it got channels to A and B, C's letter,
    // and whatever later plans sent to C1; an impostor that asks with another identity was already caught (test above).
    const clock = new ManualClock(Date.now());
    const w = inMemoryWorld({ clock });
    const { a, b, c } = await three(w);
    await until(() => a.members.every((m) => m.name !== '') && b.members.every((m) => m.name !== ''));
    const charlie = reload(w, 'charlie', c);
    await until(() => a.members[2]!.away === true && b.members[2]!.away === true);
    const drops: Array<[string, string]> = [];
    a.on('dropped', (from, reason) => drops.push([from, reason]));
    // The server hands C's slot to B's second page (here it presents C's token); it has B's key, not C's identity seed.
    const { identity: _none, ...bravoKey } = { ...charlie, key: b.resumeRecord()!.key };
    const impostor = await resumeCloudSession(w.deps('bravo-2', '198.51.100.88'), bravoKey);
    await settle();
    expect(a.mesh.connected).not.toContain(impostor.self);
    expect(b.mesh.connected).not.toContain(impostor.self);
    // Past the deadline A drops it (a departure for everyone: new key and password), and never sent it anything.
    clock.advance(RESUME_PROOF_MS - 1000);
    await settle();
    expect(drops.filter(([, reason]) => reason === 'resume-proof-missing')).toEqual([]);
    clock.advance(1001);
    await until(() => drops.some(([from, reason]) => from === impostor.self && reason === 'resume-proof-missing'));
    await until(() => a.members.length === 2 && b.members.length === 2 && a.epoch === 1 && b.epoch === 1);
    expect(impostor.mesh.connected).toEqual([]);
    expect(impostor.mesh.keys.has(1)).toBe(false);
  }, 30_000);

  it('the same in the leader’s slot: no member follows a page that cannot prove it is A', async () => {
    const clock = new ManualClock(Date.now());
    const w = inMemoryWorld({ clock });
    const { a, b, c } = await three(w);
    await until(() => c.members.every((m) => m.name !== ''));
    const alpha = reload(w, 'alpha', a);
    await until(() => b.members[0]!.away === true && c.members[0]!.away === true);
    const drops: Array<[string, string]> = [];
    c.on('dropped', (from, reason) => drops.push([from, reason]));
    const { identity: _none, ...bravoKey } = { ...alpha, key: b.resumeRecord()!.key };
    const impostor = await resumeCloudSession(w.deps('bravo-2', '198.51.100.88'), bravoKey);
    await settle();
    expect(impostor.isLeader).toBe(true); // in its own eyes
    expect(c.mesh.connected).not.toContain(impostor.self);
    clock.advance(RESUME_PROOF_MS);
    await until(() => drops.some(([from, reason]) => from === impostor.self && reason === 'resume-proof-missing'));
    expect(c.members.map((m) => m.id)).not.toContain(impostor.self);
    expect(impostor.mesh.connected).toEqual([]);
  }, 30_000);

  it('reads back only a well-formed record', () => {
    expect(readResumeRecord(null)).toBeNull();
    expect(readResumeRecord({ v: 1, sessionId: 'x', self: 'zz', token: '0', epoch: 0, key: '', order: [], settings: {} })).toBeNull();
  });
});
