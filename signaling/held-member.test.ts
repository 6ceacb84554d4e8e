/**
 * A member's slot held for its reload (its socket closed under it): what the room tells members never goes to that
 * closed socket. On Workers a send after close throws ("Can't call WebSocket send() after close()"): a candidate knocking
 * during the grace then failed to open, and its later removal left the connection counted for ever.
 */
import { describe, expect, it } from 'vitest';
import { decodeServerMessage, encodeMessage } from '../core/protocol/signal-codec.ts';
import type { ServerMessage } from '../core/protocol/signal-messages.ts';
import { ManualClock } from '../core/testing/manual-clock.ts';
import { readConfig } from './config.ts';
import { Hub } from './hub.ts';

function world() {
  const clock = new ManualClock();
  let n = 0;
  const hub = new Hub({ config: readConfig({}), clock, random: { bytes: (k) => new Uint8Array(k).map(() => ++n & 255) }, onJoinFailure: () => undefined });
  const open = (address: string, session?: string) => {
    const heard: ServerMessage[] = [];
    // As a Workers WebSocket: once closed, send() throws.
    const link = {
      closed: false,
      send: (t: string) => {
        if (link.closed) throw new TypeError("Can't call WebSocket send() after close()");
        const d = decodeServerMessage(t);
        if (d.ok) heard.push(d.message);
      },
      close: () => void (link.closed = true),
    };
    const connection = hub.open({ address, intent: session ? { kind: 'join', session } : { kind: 'create' }, link, iceServers: [], blockedUntil: null })!;
    return { connection, link, heard, say: (m: object) => connection.receive(encodeMessage(m as never)) };
  };
  return { hub, open };
}

describe('signaling: a member held for its reload', () => {
  it('a candidate knocking meanwhile opens and is told to the live members; leaving, it is forgotten', () => {
    const w = world();
    const a = w.open('203.0.113.1');
    const session = (a.heard[0] as { session: string }).session;
    const b = w.open('198.51.100.1', session);
    a.say({ type: 'admit', candidate: b.connection.id });
    expect(b.heard.some((m) => m.type === 'admitted')).toBe(true);
    // B's socket drops (a reload): its slot is held, its link closed.
    b.link.closed = true;
    b.connection.closed();
    expect(w.hub.stats()).toMatchObject({ held: 1 });

    const c = w.open('198.51.100.2', session);
    expect(a.heard.some((m) => m.type === 'candidate' && m.id === c.connection.id)).toBe(true);
    c.link.closed = true;
    c.connection.closed();
    expect(a.heard.some((m) => m.type === 'left' && m.id === c.connection.id)).toBe(true);
    expect(w.hub.stats()).toEqual({ sessions: 1, connections: 1, held: 1 });
  });
});
