/** Held slots and resumes (docs/signaling-protocol.md, Resume), written against a target so Node and workerd both run them. */
import { describe, expect, it } from 'vitest';
import { CLOSE_REASONS, CloseCode } from '../../core/protocol/close-codes.ts';
import { freshAddress, moves, type SignalTarget } from './behaviour-suite.ts';
import type { Welcomed } from './test-client.ts';

/** Registers the resume tests for one entry; `target` is the suite's running server (SUITE_ENV: 4 s of grace, room for a loaded machine). */
export function resumeSuite(name: string, target: () => SignalTarget): void {
  describe(`signaling resume: ${name}`, () => {
    const { create, join, roundTrip } = moves(target);

    /** Opens `?session=…&resume=<was>` and sends `token` as the first frame. */
    const resume = async (session: string, was: string, token: string, address = freshAddress()) => {
      const client = await target().connect(`?session=${session}&resume=${was}`, address);
      client.send({ type: 'resume', token });
      return client;
    };

    /** A session of three in join order: a (the creator, its token in its welcome), b, c. */
    const three = async (): Promise<{ a: Welcomed; b: Welcomed; c: Welcomed }> => {
      const a = await create();
      const b = await join(a.welcome.session, [a]);
      const c = await join(a.welcome.session, [a, b]);
      return { a, b, c };
    };

    it('gives members a resume token: the creator in its welcome, a newcomer in `admitted`', async () => {
      const a = await create();
      expect(a.welcome.resume).toMatch(/^[0-9a-f]{64}$/);
      const candidate = await target().connect(`?session=${a.welcome.session}`, freshAddress());
      const welcome = await candidate.next('welcome');
      expect(welcome.resume).toBeUndefined();
      await a.client.next('candidate');
      candidate.send({ type: 'send', to: a.welcome.id, body: 'pake-1' });
      await a.client.next('envelope');
      a.client.send({ type: 'admit', candidate: welcome.id });
      const admitted = await candidate.next('admitted');
      expect(admitted.resume).toMatch(/^[0-9a-f]{64}$/);
      expect(admitted.resume).not.toBe(a.welcome.resume);
    });

    it('holds a dropped member\'s slot (`away`, not `left`) and gives it back, same place, to the right token', async () => {
      const { a, b, c } = await three();
      // The creator drops (a reload): b and c hear `away`, nobody hears `left`.
      await a.client.drop();
      expect(await b.client.next('away')).toEqual({ type: 'away', id: a.welcome.id });
      expect(await c.client.next('away')).toEqual({ type: 'away', id: a.welcome.id });
      // Relaying to a held slot is refused, the connection stays.
      b.client.send({ type: 'send', to: a.welcome.id, body: 'x' });
      expect(await b.client.next('error')).toEqual({ type: 'error', code: 'no-such-peer', ref: a.welcome.id });
      const back = await resume(a.welcome.session, a.welcome.id, a.welcome.resume!);
      const welcome = await back.next('welcome');
      expect(welcome.role).toBe('member');
      expect(welcome.resumed).toBe(a.welcome.id);
      expect(welcome.id).not.toBe(a.welcome.id);
      expect(welcome.resume).toMatch(/^[0-9a-f]{64}$/);
      expect(welcome.resume).not.toBe(a.welcome.resume);
      expect(welcome.members.map((m) => m.id)).toEqual([b.welcome.id, c.welcome.id]);
      for (const m of [b, c]) expect(await m.client.next('back')).toMatchObject({ type: 'back', id: welcome.id, was: a.welcome.id });
      // The slot is the first place again: a newcomer's welcome lists the resumed member first.
      const late = await target().connect(`?session=${a.welcome.session}`, freshAddress());
      expect((await late.next('welcome')).members.map((m) => m.id)).toEqual([welcome.id, b.welcome.id, c.welcome.id]);
      await roundTrip({ client: back, welcome }, b, 'after-resume');
      expect(b.client.pending('left')).toEqual([]);
    });

    it('refuses a wrong token and a replayed one as a failed join, and keeps the slot held for the right one', async () => {
      const a = await create();
      const b = await join(a.welcome.session, [a]);
      const first = a.welcome.resume!;
      await a.client.drop();
      await b.client.next('away');
      const attacker = freshAddress();
      const wrong = await resume(a.welcome.session, a.welcome.id, '0'.repeat(64), attacker);
      expect(await wrong.closed).toEqual({ code: CloseCode.JoinDenied, reason: CLOSE_REASONS.resumeRefused });
      const back = await resume(a.welcome.session, a.welcome.id, first);
      const welcome = await back.next('welcome');
      expect(welcome.resumed).toBe(a.welcome.id);
      // The token was single use: the same frame again is refused, counted like a wrong password.
      await back.drop();
      await b.client.next('away');
      const replay = await resume(a.welcome.session, a.welcome.id, first, attacker);
      expect(await replay.closed).toEqual({ code: CloseCode.NoSuchSession, reason: CLOSE_REASONS.nothingToResume });
      const replayNew = await resume(a.welcome.session, welcome.id, first, attacker);
      expect(await replayNew.closed).toEqual({ code: CloseCode.JoinDenied, reason: CLOSE_REASONS.resumeRefused });
      await expect.poll(() => target().logs().filter((line) => line.includes('resume of') && line.includes('failure counted')).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
      const again = await resume(a.welcome.session, welcome.id, welcome.resume!);
      expect((await again.next('welcome')).resumed).toBe(welcome.id);
    });

    it('releases a slot not resumed within the grace as a departure; a `leave` releases it at once', async () => {
      const a = await create();
      const b = await join(a.welcome.session, [a]);
      const c = await join(a.welcome.session, [a, b]);
      await c.client.close(); // `leave`: immediate
      expect(await a.client.next('left')).toEqual({ type: 'left', id: c.welcome.id });
      expect(a.client.pending('away')).toEqual([]);
      // a stays (its pings keep it from the idle timeout, which is as long as the grace here).
      const ticker = setInterval(() => a.client.send({ type: 'ping' }), 400);
      try {
        await b.client.drop();
        expect(await a.client.next('away')).toEqual({ type: 'away', id: b.welcome.id });
        expect(await a.client.next('left', 15_000)).toEqual({ type: 'left', id: b.welcome.id });
        const late = await resume(a.welcome.session, b.welcome.id, '1'.repeat(64));
        expect(await late.closed).toEqual({ code: CloseCode.NoSuchSession, reason: CLOSE_REASONS.nothingToResume });
      } finally {
        clearInterval(ticker);
      }
    }, 25_000);

    it('keeps a session whose every member dropped until the grace ends, then ends it', async () => {
      const a = await create();
      await a.client.drop();
      const back = await resume(a.welcome.session, a.welcome.id, a.welcome.resume!);
      const welcome = await back.next('welcome');
      expect(welcome.members).toEqual([]);
      await back.drop();
      await expect.poll(async () => {
        const late = await target().connect(`?session=${a.welcome.session}`, freshAddress());
        return (await late.closed).reason;
      }, { timeout: 15_000 }).toBe(CLOSE_REASONS.noSuchSession);
    }, 25_000);

    it('refuses anything but `resume` (and ping) before the token is proved', async () => {
      const a = await create();
      const b = await join(a.welcome.session, [a]);
      await a.client.drop();
      await b.client.next('away');
      const sneaky = await target().connect(`?session=${a.welcome.session}&resume=${a.welcome.id}`, freshAddress());
      sneaky.send({ type: 'send', to: b.welcome.id, body: 'hello' });
      expect(await sneaky.closed).toEqual({ code: CloseCode.BadMessage, reason: CLOSE_REASONS.invalidMessage });
      expect(b.client.pending('envelope')).toEqual([]);
    });
  });
}
