/** The hub's join deadline: a candidate not admitted within `candidateDeadlineMs` is closed, and charged if it spoke. */
import { describe, expect, it } from 'vitest';
import { CLOSE_REASONS, CloseCode } from '../core/protocol/close-codes.ts';
import { decodeServerMessage, encodeMessage } from '../core/protocol/signal-codec.ts';
import type { ServerMessage } from '../core/protocol/signal-messages.ts';
import { ManualClock } from '../core/testing/manual-clock.ts';
import { readConfig } from './config.ts';
import { Hub } from './hub.ts';

function world() {
  const clock = new ManualClock();
  const failures: string[] = [];
  let n = 0;
  const hub = new Hub({ config: readConfig({}), clock, random: { bytes: (k) => new Uint8Array(k).map(() => ++n & 255) }, onJoinFailure: (a) => failures.push(a) });
  const open = (address: string, session?: string) => {
    const heard: ServerMessage[] = [];
    const link = { closed: null as { code: number; reason: string } | null, send: (t: string) => { const d = decodeServerMessage(t); if (d.ok) heard.push(d.message); }, close: (code: number, reason: string) => { link.closed = { code, reason }; } };
    const connection = hub.open({ address, intent: session ? { kind: 'join', session } : { kind: 'create' }, link, iceServers: [], blockedUntil: null })!;
    return { connection, link, heard, say: (m: object) => connection.receive(encodeMessage(m as never)) };
  };
  return { clock, hub, failures, open };
}

describe('signaling: candidate join deadline', () => {
  it('closes candidates past the deadline (charging those that spoke), keeps members and younger candidates', () => {
    const w = world();
    const a = w.open('203.0.113.1');
    const session = (a.heard[0] as { session: string }).session;
    const silent = w.open('198.51.100.1', session);
    const talker = w.open('198.51.100.2', session);
    talker.say({ type: 'send', to: a.connection.id, body: 'j1.a.guess' });
    w.clock.advance(20_000);
    const young = w.open('198.51.100.3', session);
    w.clock.advance(10_001);
    a.say({ type: 'ping' }); // the member is not idle
    w.hub.sweep();
    const deadline = { code: CloseCode.IdleTimeout, reason: CLOSE_REASONS.joinDeadline };
    expect(silent.link.closed).toEqual(deadline);
    expect(talker.link.closed).toEqual(deadline);
    expect(young.link.closed).toBeNull();
    expect(a.link.closed).toBeNull();
    expect(w.failures).toEqual(['198.51.100.2']);
  });
});
