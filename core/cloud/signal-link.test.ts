import { describe, expect, it } from 'vitest';
import type { ClientMessage } from '../protocol/signal-messages.ts';
import { SignalLink } from './signal-link.ts';
import { signalPace } from './signal-pacer.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import { readConfig } from '../../signaling/config.ts';
import { TokenBucket } from '../../signaling/token-bucket.ts';

const id = (c: string) => c.repeat(16);
/** The burst a member takes from a server with the default limits (40). */
const SIGNAL_BURST = signalPace().burst;

function link(aliases: Record<string, string> = {}) {
  const sent: ClientMessage[] = [];
  const refused: string[] = [];
  const l = new SignalLink({ send: (m) => sent.push(m), close: () => undefined }, (type) => refused.push(type), aliases);
  return { l, sent, refused };
}

describe('SignalLink: mesh IDs ↔ the server’s connection IDs', () => {
  it('translates outgoing IDs to the server’s and incoming ones to the mesh’s; an ID without an alias is the same', () => {
    const { l, sent } = link({ [id('b')]: id('1') });
    l.send({ type: 'send', to: id('b'), body: 'x' });
    l.send({ type: 'send', to: id('d'), body: 'y' });
    l.send({ type: 'admit', candidate: id('b') });
    expect(sent).toEqual([{ type: 'send', to: id('1'), body: 'x' }, { type: 'send', to: id('d'), body: 'y' }, { type: 'admit', candidate: id('1') }]);
    expect(l.translate({ type: 'envelope', from: id('1'), body: 'z' })).toEqual({ type: 'envelope', from: id('b'), body: 'z' });
    expect(l.translate({ type: 'joined', id: id('1'), address: '198.51.100.1' })).toEqual({ type: 'joined', id: id('b'), address: '198.51.100.1' });
    expect(l.translate({ type: 'back', id: id('e'), was: id('1'), address: '' })).toEqual({ type: 'back', id: id('e'), was: id('b'), address: '' });
    expect(l.translate({ type: 'left', id: id('d') })).toEqual({ type: 'left', id: id('d') });
    expect(l.aliases()).toEqual({ [id('b')]: id('1') });
  });

  it('ignores what the server says of a retired connection: a member’s old ID, or its previous alias', () => {
    const { l } = link({ [id('b')]: id('1') });
    expect(l.translate({ type: 'left', id: id('b') })).toBeNull(); // B's mesh ID is no connection at the server now
    l.alias(id('b'), id('2'));
    expect(l.translate({ type: 'envelope', from: id('1'), body: '' })).toBeNull();
    expect(l.translate({ type: 'away', id: id('2') })).toEqual({ type: 'away', id: id('b') });
    expect(l.serverOf(id('b'))).toBe(id('2'));
  });

  it('refuses and reports what it cannot send while detached, and sends again once attached', () => {
    const { l, sent, refused } = link();
    l.detach();
    expect(l.online).toBe(false);
    l.send({ type: 'send', to: id('b'), body: 'x' });
    l.send({ type: 'admit', candidate: id('c') });
    expect(refused).toEqual(['send', 'admit']);
    expect(sent).toEqual([]);
    const later: ClientMessage[] = [];
    l.attach({ send: (m) => later.push(m), close: () => undefined });
    l.send({ type: 'ping' });
    expect(later).toEqual([{ type: 'ping' }]);
  });

  it('paces a burst under the server’s message rate: the server accepts every message, in order, and none is lost', () => {
    const clock = new ClockForTest();
    // The server's own check, with its default limits (signaling/connection.ts): a message it refuses closes the member.
    const server = new TokenBucket(readConfig({}).connectionRate, clock.now());
    const got: string[] = [];
    const l = new SignalLink({
      send: (m) => {
        if (!server.take(clock.now())) throw new Error(`4429 at message ${got.length}`);
        got.push(m.type === 'send' ? m.body : m.type);
      },
      close: () => undefined,
    }, () => undefined, {}, clock);
    // Seven connections' offers and candidates to one peer at once (a pair with three lanes each way), twice over.
    const bodies = Array.from({ length: 150 }, (_, i) => `signal ${i}`);
    for (const body of bodies) l.send({ type: 'send', to: id('b'), body });
    expect(got).toHaveLength(SIGNAL_BURST);
    expect(l.waiting).toBe(150 - SIGNAL_BURST);
    // The connection's own pings (every 20 s or so) take from the same bucket: still room for them.
    for (let t = 0; t < 15_000 && got.length < 150; t += 10) {
      clock.advance(10);
      if (t % 5000 === 0) expect(server.take(clock.now())).toBe(true);
    }
    expect(got).toEqual(bodies);
    expect(l.waiting).toBe(0);
    clock.advance(5000);
    l.send({ type: 'ping' }); // after a quiet spell, at once again
    expect(got.at(-1)).toBe('ping');
  });

  it('after a re-home, keeps the pace of the new server’s rates', () => {
    const clock = new ClockForTest();
    const sent: ClientMessage[] = [];
    const l = new SignalLink({ send: (m) => sent.push(m), close: () => undefined }, () => undefined, {}, clock);
    l.detach();
    const later: ClientMessage[] = [];
    l.attach({ send: (m) => later.push(m), close: () => undefined }, signalPace({ connectionRate: { burst: 6, perSecond: 2 } }));
    for (let i = 0; i < 10; i++) l.send({ type: 'send', to: id('b'), body: String(i) });
    expect(later).toHaveLength(4);
    clock.advance(1000);
    expect(later).toHaveLength(5);
    expect(sent).toEqual([]);
  });

  it('a burst waiting when the server goes out of reach is refused and reported, not sent to the next connection', () => {
    const clock = new ClockForTest();
    const sent: ClientMessage[] = [];
    const refused: string[] = [];
    const l = new SignalLink({ send: (m) => sent.push(m), close: () => undefined }, (type) => refused.push(type), {}, clock);
    for (let i = 0; i < SIGNAL_BURST + 5; i++) l.send({ type: 'send', to: id('b'), body: String(i) });
    l.detach();
    expect(refused).toEqual(Array(5).fill('send'));
    const later: ClientMessage[] = [];
    l.attach({ send: (m) => later.push(m), close: () => undefined });
    clock.advance(60_000);
    expect(later).toEqual([]);
    expect(sent).toHaveLength(SIGNAL_BURST);
  });
});

const ClockForTest = ManualClock;

