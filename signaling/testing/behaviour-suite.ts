/** The signaling behaviour suite, written against a "connect" factory so the Node entry and the Workers entry (workerd) both run it. */
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_REASONS, CloseCode } from '../../core/protocol/close-codes.ts';
import { isSessionId } from '../../core/protocol/session-id.ts';
import type { TestClient, Welcomed } from './test-client.ts';
import { resumeSuite } from './resume-suite.ts';

/** The configuration both targets run with (as env variables, the way both runtimes receive it). */
// The idle timeout is short so the half-open test is quick, yet long enough that members which only
// listen during a test on a busy machine are not taken for half-open sockets.
export const SUITE_ENV: Record<string, string> = {
  QUINTET_ADMIN_TOKEN: 'test-admin-token',
  QUINTET_IDLE_TIMEOUT_MS: '4000',
  // Short, so a slot held for a resume is released within a test's wait (resume-suite.ts).
  QUINTET_RESUME_GRACE_MS: '4000',
  QUINTET_STUN_URLS: 'stun:stun.example.test:3478',
  QUINTET_TURN_URLS: 'turn:turn.example.test:3478',
  QUINTET_TURN_SECRET: 'turn-shared-secret',
};

/** A running server under test. `connect` opens /signal as a client at `address` (via a trusted header). */
export interface SignalTarget {
  connect(query: string, address: string): Promise<TestClient>;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** The server's log lines so far. */
  logs(): string[];
  close(): Promise<void>;
}

let next = 0;
/** A fresh documentation-range address per use, so per-address limits never leak between tests. */
export function freshAddress(): string {
  next++;
  return `198.51.${100 + Math.floor(next / 250)}.${next % 250}`;
}

/** Session-level moves every test uses, over a target. */
export function moves(target: () => SignalTarget) {
  const create = async (address = freshAddress()): Promise<Welcomed> => {
    const client = await target().connect('', address);
    return { client, welcome: await client.next('welcome') };
  };
  const knock = async (session: string, address = freshAddress()): Promise<Welcomed> => {
    const client = await target().connect(`?session=${session}`, address);
    return { client, welcome: await client.next('welcome') };
  };
  /** A candidate knocks, speaks to the first member (a PAKE message) and is admitted; everyone sees `joined`. */
  const join = async (session: string, members: Welcomed[], address = freshAddress()): Promise<Welcomed> => {
    const candidate = await knock(session, address);
    const [first] = members;
    if (!first) throw new Error('no member to admit the candidate');
    await first.client.next('candidate');
    candidate.client.send({ type: 'send', to: first.welcome.id, body: 'pake-1' });
    await first.client.next('envelope');
    first.client.send({ type: 'admit', candidate: candidate.welcome.id });
    await candidate.client.next('admitted');
    for (const m of members) await m.client.next('joined');
    for (const m of members.slice(1)) await m.client.next('candidate');
    return candidate;
  };
  /** Proves a session still relays: a round trip between two members. */
  const roundTrip = async (a: Welcomed, b: Welcomed, body: string) => {
    a.client.send({ type: 'send', to: b.welcome.id, body });
    expect(await b.client.next('envelope')).toEqual({ type: 'envelope', from: a.welcome.id, body });
    b.client.send({ type: 'send', to: a.welcome.id, body: `re:${body}` });
    expect((await a.client.next('envelope')).body).toBe(`re:${body}`);
  };
  /** A candidate speaks once to `member`, then `member` denies it. */
  const failedJoin = async (member: Welcomed, session: string, address: string, speak = true) => {
    const candidate = await knock(session, address);
    await member.client.next('candidate');
    if (speak) {
      candidate.client.send({ type: 'send', to: member.welcome.id, body: 'wrong-guess' });
      await member.client.next('envelope');
    }
    member.client.send({ type: 'deny', candidate: candidate.welcome.id });
    expect(await candidate.client.closed).toEqual({ code: CloseCode.JoinDenied, reason: CLOSE_REASONS.joinDenied });
    await member.client.next('left');
  };
  return { create, knock, join, roundTrip, failedJoin };
}

/** Registers the shared behaviour tests for one entry. */
export function behaviourSuite(name: string, start: () => Promise<SignalTarget>): void {
  describe(`signaling behaviour: ${name}`, () => {
    let target: SignalTarget;
    beforeAll(async () => { target = await start(); }, 60_000);
    afterAll(async () => { await target?.close(); });
    const { create, knock, join, roundTrip, failedJoin } = moves(() => target);
    const admin = (path: string, method = 'GET', token = SUITE_ENV.QUINTET_ADMIN_TOKEN) =>
      target.fetch(path, { method, headers: token ? { Authorization: `Bearer ${token}` } : {} });

    it('creates a session, names it readably and reports the address it sees', async () => {
      const { welcome } = await create('203.0.113.77');
      expect(isSessionId(welcome.session)).toBe(true);
      expect(welcome).toMatchObject({ v: 1, role: 'member', address: '203.0.113.77', members: [] });
      expect(welcome.limits).toEqual({
        maxFrameBytes: 65_536, maxMembers: 5, idleTimeoutMs: 4_000,
        connectionRate: { burst: 60, perSecond: 20 }, addressRate: { burst: 300, perSecond: 100 },
      });
      expect(welcome.iceServers[1]?.username).toMatch(/^\d+:[0-9a-f]{16}$/);
    });

    it('lets a candidate reach members only, hides addresses until admitted, then keeps join order', async () => {
      const a = await create();
      const b = await join(a.welcome.session, [a]);
      const c = await knock(a.welcome.session, '203.0.113.9');
      expect(c.welcome.role).toBe('candidate');
      expect(c.welcome.members).toEqual([{ id: a.welcome.id }, { id: b.welcome.id }]);
      expect(await a.client.next('candidate')).toEqual({ type: 'candidate', id: c.welcome.id, address: '203.0.113.9' });
      // A candidate cannot admit itself nor anyone; a member can talk to it.
      c.client.send({ type: 'admit', candidate: c.welcome.id });
      expect(await c.client.next('error')).toEqual({ type: 'error', code: 'not-a-member' });
      b.client.send({ type: 'send', to: c.welcome.id, body: 'pake-from-b' });
      expect(await c.client.next('envelope')).toEqual({ type: 'envelope', from: b.welcome.id, body: 'pake-from-b' });
      a.client.send({ type: 'admit', candidate: c.welcome.id });
      const admitted = await c.client.next('admitted');
      expect(admitted.members).toEqual([{ id: a.welcome.id, address: a.welcome.address }, { id: b.welcome.id, address: b.welcome.address }]);
      expect(await b.client.next('joined')).toEqual({ type: 'joined', id: c.welcome.id, address: '203.0.113.9' });
      await roundTrip(c, b, 'now-a-member');
    });

    it('relays bodies unchanged and answers requests it cannot carry out without closing', async () => {
      const a = await create();
      const b = await join(a.welcome.session, [a]);
      const body = '{"looks":"like json"} ünïcødé 🎉 ' + 'x'.repeat(1000);
      await roundTrip(a, b, body);
      a.client.send({ type: 'send', to: 'ffffffffffffffff', body: 'lost' });
      expect(await a.client.next('error')).toEqual({ type: 'error', code: 'no-such-peer', ref: 'ffffffffffffffff' });
      a.client.send({ type: 'admit', candidate: b.welcome.id });
      expect(await a.client.next('error')).toEqual({ type: 'error', code: 'not-a-candidate', ref: b.welcome.id });
      a.client.send({ type: 'ping' });
      await a.client.next('pong');
      await roundTrip(b, a, 'still-open');
    });

    it('tells members who left, and ends the session with its last member', async () => {
      const a = await create();
      const b = await join(a.welcome.session, [a]);
      const waiting = await knock(a.welcome.session);
      await a.client.next('candidate');
      await b.client.next('candidate');
      await a.client.close();
      expect(await b.client.next('left')).toEqual({ type: 'left', id: a.welcome.id });
      expect(await waiting.client.next('left')).toEqual({ type: 'left', id: a.welcome.id });
      await b.client.close();
      expect(await waiting.client.closed).toEqual({ code: CloseCode.NoSuchSession, reason: CLOSE_REASONS.sessionEnded });
      const late = await target.connect(`?session=${a.welcome.session}`, freshAddress());
      expect(await late.closed).toEqual({ code: CloseCode.NoSuchSession, reason: CLOSE_REASONS.noSuchSession });
    });

    it('refuses a sixth member with "session full"', async () => {
      const members = [await create()];
      const session = members[0]!.welcome.session;
      while (members.length < 5) members.push(await join(session, members));
      const sixth = await target.connect(`?session=${session}`, freshAddress());
      expect(await sixth.closed).toEqual({ code: CloseCode.SessionFull, reason: CLOSE_REASONS.sessionFull });
      await roundTrip(members[4]!, members[0]!, 'five-still-fine');
    });

    it('refuses an admission past five members with "session full"', async () => {
      const members = [await create()];
      const session = members[0]!.welcome.session;
      while (members.length < 4) members.push(await join(session, members));
      const late = await knock(session);
      await members[0]!.client.next('candidate');
      for (const m of members.slice(1)) await m.client.next('candidate');
      members.push(await join(session, members));
      members[0]!.client.send({ type: 'admit', candidate: late.welcome.id });
      expect(await members[0]!.client.next('error')).toEqual({ type: 'error', code: 'session-full', ref: late.welcome.id });
      expect(await late.client.closed).toEqual({ code: CloseCode.SessionFull, reason: CLOSE_REASONS.sessionFull });
    });

    it('refuses unknown and unreadable session IDs', async () => {
      for (const query of ['?session=222-BBB-222', '?session=not-an-id']) {
        const client = await target.connect(query, freshAddress());
        expect(await client.closed).toEqual({ code: CloseCode.NoSuchSession, reason: CLOSE_REASONS.noSuchSession });
      }
    });

    it('creates a standing group\'s run under its rendezvous, refuses a second creator, and lets others knock there', async () => {
      const rendezvous = `g-${randomBytes(16).toString('hex')}`;
      // Before the hub: no such session (a member retries).
      const early = await target.connect(`?rendezvous=${rendezvous}`, freshAddress());
      expect(await early.closed).toEqual({ code: CloseCode.NoSuchSession, reason: CLOSE_REASONS.noSuchSession });
      const hub = await target.connect(`?rendezvous=${rendezvous}&create=1`, freshAddress());
      const welcome = await hub.next('welcome');
      expect(welcome).toMatchObject({ session: rendezvous, role: 'member', members: [] });
      const squatter = await target.connect(`?rendezvous=${rendezvous}&create=1`, freshAddress());
      expect(await squatter.closed).toEqual({ code: CloseCode.SessionExists, reason: CLOSE_REASONS.rendezvousTaken });
      const member = await target.connect(`?rendezvous=${rendezvous}`, freshAddress());
      const knocking = await member.next('welcome');
      expect(knocking).toMatchObject({ session: rendezvous, role: 'candidate', members: [{ id: welcome.id }] });
      expect(await hub.next('candidate')).toMatchObject({ id: knocking.id });
      const badName = await target.connect('?rendezvous=G-NOT-ONE&create=1', freshAddress());
      expect(await badName.closed).toEqual({ code: CloseCode.NoSuchSession, reason: CLOSE_REASONS.noSuchSession });
    });

    it('re-creates a session under its own ID after a restart (rehome), and refuses it while a live session has that ID', async () => {
      const a = await create();
      const session = a.welcome.session;
      const taken = await target.connect(`?session=${session}&rehome=1`, freshAddress());
      expect(await taken.closed).toEqual({ code: CloseCode.SessionExists, reason: CLOSE_REASONS.rendezvousTaken });
      await a.client.close();
      const gone = await target.connect(`?session=${session}`, freshAddress());
      expect(await gone.closed).toEqual({ code: CloseCode.NoSuchSession, reason: CLOSE_REASONS.noSuchSession });
      // The ID is free again (as on a restarted server): the leader re-creates it, and members knock there as candidates.
      const leader = await target.connect(`?session=${session.toLowerCase()}&rehome=1`, freshAddress());
      const welcome = await leader.next('welcome');
      expect(welcome).toMatchObject({ session, role: 'member', members: [] });
      const member = await target.connect(`?session=${session}`, freshAddress());
      expect(await member.next('welcome')).toMatchObject({ session, role: 'candidate', members: [{ id: welcome.id }] });
    });

    const badInput: Array<[string, (c: TestClient) => void, number, string]> = [
      ['malformed JSON', (c) => c.sendRaw('{"type":"send",'), CloseCode.BadMessage, CLOSE_REASONS.malformedJson],
      ['an unknown type', (c) => c.send({ type: 'subscribe-all' }), CloseCode.BadMessage, CLOSE_REASONS.unknownType],
      ['invalid fields', (c) => c.send({ type: 'send', to: 42, body: 'x' }), CloseCode.BadMessage, CLOSE_REASONS.invalidMessage],
      ['a binary frame', (c) => c.sendRaw(Buffer.from([1, 2, 3])), CloseCode.BadMessage, CLOSE_REASONS.binaryFrame],
      ['an oversized frame', (c) => c.send({ type: 'send', to: '0000000000000000', body: 'x'.repeat(65_536) }), CloseCode.FrameTooLarge, CLOSE_REASONS.frameTooLarge],
      ['a flood', (c) => { for (let i = 0; i < 200; i++) c.send({ type: 'ping' }); }, CloseCode.RateLimited, CLOSE_REASONS.messageRate],
    ];
    it.each(badInput)('closes a client that sends %s, and other sessions keep working', async (_what, misbehave, code, reason) => {
      const a = await create();
      const b = await join(a.welcome.session, [a]);
      const culprit = await create();
      const victim = await join(culprit.welcome.session, [culprit]);
      misbehave(culprit.client);
      expect(await culprit.client.closed).toEqual({ code, reason });
      expect(await victim.client.next('left')).toEqual({ type: 'left', id: culprit.welcome.id });
      await roundTrip(a, b, 'unaffected');
      victim.client.send({ type: 'ping' });
      await victim.client.next('pong');
    });

    it('closes a half-open (silent) socket after the idle timeout while a pinging session stays', async () => {
      const a = await create();
      const b = await join(a.welcome.session, [a]);
      const silent = await create();
      const ticker = setInterval(() => { a.client.send({ type: 'ping' }); b.client.send({ type: 'ping' }); }, 400);
      try {
        const started = Date.now();
        expect(await silent.client.closed).toEqual({ code: CloseCode.IdleTimeout, reason: CLOSE_REASONS.idle });
        expect(Date.now() - started).toBeGreaterThanOrEqual(3_500);
        await roundTrip(a, b, 'alive');
      } finally {
        clearInterval(ticker);
      }
    }, 20_000);

    it('blocks an address after 5 failed joins, lists it to the admin and lets the admin clear it', async () => {
      const member = await create();
      const session = member.welcome.session;
      const attacker = freshAddress();
      for (let i = 0; i < 5; i++) await failedJoin(member, session, attacker);
      const refused = await target.connect(`?session=${session}`, attacker);
      expect(await refused.closed).toEqual({ code: CloseCode.Blocked, reason: CLOSE_REASONS.blocked });
      const creating = await target.connect('', attacker);
      expect((await creating.closed).code).toBe(CloseCode.Blocked);
      const listed = (await (await admin('/admin/blocked')).json()) as { blocked: Array<{ address: string; since: number; until: number }> };
      const entry = listed.blocked.find((b) => b.address === attacker);
      expect(entry && entry.until - entry.since).toBe(3_600_000);
      // Someone else still gets in, and the session still works.
      const friend = await join(session, [member]);
      await roundTrip(member, friend, 'unaffected');
      expect((await admin(`/admin/blocked/${attacker}`, 'DELETE')).status).toBe(200);
      const back = await knock(session, attacker);
      expect(back.welcome.role).toBe('candidate');
      await back.client.close();
    });

    it('charges a candidate that spoke and left unadmitted: 5 such guesses block the address', async () => {
      const member = await create();
      const session = member.welcome.session;
      const attacker = freshAddress();
      for (let i = 0; i < 5; i++) {
        const candidate = await knock(session, attacker);
        await member.client.next('candidate');
        candidate.client.send({ type: 'send', to: member.welcome.id, body: 'guess-then-leave' });
        await member.client.next('envelope');
        await candidate.client.close();
        await member.client.next('left');
      }
      // On Workers the failure reaches the global guard asynchronously: look until it has.
      await expect.poll(async () => (await (await admin('/admin/blocked')).json() as { blocked: Array<{ address: string }> }).blocked.some((b) => b.address === attacker)).toBe(true);
      const refused = await target.connect(`?session=${session}`, attacker);
      expect(await refused.closed).toEqual({ code: CloseCode.Blocked, reason: CLOSE_REASONS.blocked });
      expect((await admin(`/admin/blocked/${attacker}`, 'DELETE')).status).toBe(200);
    });

    it('lets one address hold at most 2 candidate slots of a session', async () => {
      const member = await create();
      const session = member.welcome.session;
      const crowd = freshAddress();
      const waiting = [await knock(session, crowd), await knock(session, crowd)];
      const third = await target.connect(`?session=${session}`, crowd);
      expect(await third.closed).toEqual({ code: CloseCode.SessionFull, reason: CLOSE_REASONS.tooManyCandidatesFromAddress });
      const friend = await join(session, [member]);
      await roundTrip(member, friend, 'another-address-gets-in');
      for (const w of waiting) await w.client.close();
    });

    it('charges no failure for a denied candidate that never spoke', async () => {
      const member = await create();
      const quiet = freshAddress();
      for (let i = 0; i < 6; i++) await failedJoin(member, member.welcome.session, quiet, false);
      const again = await knock(member.welcome.session, quiet);
      expect(again.welcome.role).toBe('candidate');
    });

    it('limits sessions created per address', async () => {
      const address = freshAddress();
      const opened: TestClient[] = [];
      for (let i = 0; i < 10; i++) opened.push((await create(address)).client);
      const eleventh = await target.connect('', address);
      expect(await eleventh.closed).toEqual({ code: CloseCode.RateLimited, reason: CLOSE_REASONS.tooManySessions });
      await Promise.all(opened.map((c) => c.close()));
    });

    it('never writes an envelope body into its log', async () => {
      const a = await create();
      const b = await join(a.welcome.session, [a]);
      await roundTrip(a, b, 'SECRET-SDP-PAYLOAD');
      a.client.sendRaw(`{"type":"send","to":"${b.welcome.id}","body":"SECRET-IN-BAD-FRAME"`);
      expect((await a.client.closed).code).toBe(CloseCode.BadMessage);
      await b.client.next('left');
      await expect.poll(() => target.logs().some((line) => line.includes(a.welcome.id))).toBe(true);
      expect(target.logs().filter((line) => line.includes('SECRET'))).toEqual([]);
    });

    it('protects the admin endpoints with the bearer token', async () => {
      expect((await admin('/admin/blocked', 'GET', '')).status).toBe(401);
      expect((await admin('/admin/blocked', 'GET', 'wrong-token')).status).toBe(401);
      expect((await admin('/admin/blocked', 'DELETE', 'wrong-token')).status).toBe(401);
      const ok = await admin('/admin/blocked');
      expect(ok.status).toBe(200);
      expect(await ok.json()).toHaveProperty('blocked');
    });

    it('answers /health and hands out ICE servers with coturn credentials', async () => {
      expect(await (await target.fetch('/health')).json()).toEqual({ ok: true, protocol: 1, features: ['rendezvous', 'resume', 'rehome'] });
      const { iceServers } = (await (await target.fetch('/ice')).json()) as { iceServers: Array<{ urls: string[]; username?: string; credential?: string }> };
      expect(iceServers[0]).toEqual({ urls: ['stun:stun.example.test:3478'] });
      const turn = iceServers[1]!;
      const expiry = Number(turn.username!.split(':')[0]);
      expect(expiry * 1000).toBeGreaterThan(Date.now() + 11 * 3_600_000);
      expect(turn.credential).toBe(createHmac('sha1', 'turn-shared-secret').update(turn.username!).digest('base64'));
      expect((await target.fetch('/signal')).status).toBe(426);
    });
    resumeSuite(name, () => target);
  });
}
