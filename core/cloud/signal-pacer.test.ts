import { describe, expect, it } from 'vitest';
import { SignalPacer, signalPace } from './signal-pacer.ts';
import { ManualClock } from '../testing/manual-clock.ts';
import { readConfig } from '../../signaling/config.ts';
import { TokenBucket } from '../../signaling/token-bucket.ts';
import type { Limits } from '../protocol/signal-messages.ts';

/** The welcome's limits of a server started with `env` (signaling/hub.ts announces these). */
function announced(env: Record<string, string> = {}): Limits {
  const c = readConfig(env);
  return { maxFrameBytes: c.maxFrameBytes, maxMembers: c.maxMembers, idleTimeoutMs: c.idleTimeoutMs, connectionRate: c.connectionRate, addressRate: c.addressRate };
}

describe('signalPace: a share of the rates the server announced', () => {
  it('keeps under the defaults as before, and under whatever an operator set instead', () => {
    expect(signalPace(announced())).toEqual({ burst: 40, perSecond: 15 });
    expect(signalPace()).toEqual({ burst: 40, perSecond: 15 }); // an older server announces no rates: its defaults
    expect(signalPace({ maxFrameBytes: 65_536, maxMembers: 5, idleTimeoutMs: 60_000 })).toEqual({ burst: 40, perSecond: 15 });
    expect(signalPace(announced({ QUINTET_CONNECTION_RATE_BURST: '16', QUINTET_CONNECTION_RATE_PER_SECOND: '4' }))).toEqual({ burst: 10, perSecond: 3 });
    // Five members behind one NAT share the address's rate: each keeps under a fifth of it.
    expect(signalPace(announced({ QUINTET_ADDRESS_RATE_BURST: '40', QUINTET_ADDRESS_RATE_PER_SECOND: '20' }))).toEqual({ burst: 5, perSecond: 3 });
  });

  it('a server announcing nonsense (negative, zero) gets a burst of one and no refill, never a negative pace', () => {
    const rate = signalPace({ connectionRate: { burst: -5, perSecond: -1 } });
    expect(rate).toEqual({ burst: 1, perSecond: 0 });
  });
});

describe('SignalPacer under a server’s buckets', () => {
  it('a burst of lane and ICE signals to a strict server: every message accepted, in order, pings beside them', () => {
    const clock = new ManualClock();
    const limits = announced({ QUINTET_CONNECTION_RATE_BURST: '16', QUINTET_CONNECTION_RATE_PER_SECOND: '5' });
    const server = new TokenBucket(limits.connectionRate!, clock.now());
    const got: number[] = [];
    const pacer = new SignalPacer<number>(clock, (n) => {
      if (!server.take(clock.now())) throw new Error(`4429 at message ${n}`);
      got.push(n);
    }, signalPace(limits));
    // Seven connections' offers and candidates to each of four peers at once (lanes forced, five members).
    for (let n = 0; n < 250; n++) pacer.send(n);
    expect(got).toHaveLength(10);
    for (let t = 0; got.length < 250; t += 50) {
      expect(t).toBeLessThan(100_000);
      clock.advance(50);
      if (t % 20_000 === 0) expect(server.take(clock.now())).toBe(true); // the adapter's ping, outside the pacer
    }
    expect(got).toEqual(Array.from({ length: 250 }, (_, n) => n));
    expect(pacer.waiting).toBe(0);
  });

  it('five members behind one address: their pacers together stay under the address’s bucket', () => {
    const clock = new ManualClock();
    const limits = announced({ QUINTET_ADDRESS_RATE_BURST: '40', QUINTET_ADDRESS_RATE_PER_SECOND: '16' });
    const address = new TokenBucket(limits.addressRate!, clock.now());
    let sent = 0;
    const pacers = Array.from({ length: 5 }, (_, m) => new SignalPacer<string>(clock, (what) => {
      if (!address.take(clock.now())) throw new Error(`4429 (address) from member ${m} at ${what}`);
      sent++;
    }, signalPace(limits)));
    for (const [m, pacer] of pacers.entries()) for (let n = 0; n < 60; n++) pacer.send(`${m}:${n}`);
    for (let t = 0; sent < 300; t += 20) {
      expect(t).toBeLessThan(100_000);
      clock.advance(20);
    }
    expect(pacers.every((p) => p.waiting === 0)).toBe(true);
  });

  it('takes the new pace when the session re-homes on a stricter server, and waits (never spins) on a rate of zero', () => {
    const clock = new ManualClock();
    const got: number[] = [];
    const pacer = new SignalPacer<number>(clock, (n) => got.push(n));
    for (let n = 0; n < 60; n++) pacer.send(n);
    expect(got).toHaveLength(40);
    pacer.pace({ burst: 2, perSecond: 1 });
    clock.advance(1100);
    expect(got).toHaveLength(41);
    clock.advance(10_000);
    expect(got).toHaveLength(51);
    pacer.pace({ burst: 1, perSecond: 0 });
    clock.advance(600_000);
    expect(got).toHaveLength(51);
    expect(pacer.waiting).toBe(9);
    expect(pacer.clear()).toEqual([51, 52, 53, 54, 55, 56, 57, 58, 59]);
  });
});
