/** Tests for the signaling codec: every refusal reason, unknown keys dropped, round trips of server messages. */
import { describe, expect, it } from 'vitest';
import { decodeClientMessage, decodeServerMessage, encodeMessage } from './signal-codec.ts';
import type { ServerMessage } from './signal-messages.ts';

const ID = '0123456789abcdef';

describe('decodeClientMessage', () => {
  it('accepts each client message', () => {
    for (const m of [{ type: 'send', to: ID, body: 'x' }, { type: 'admit', candidate: ID }, { type: 'deny', candidate: ID }, { type: 'ping' }]) {
      expect(decodeClientMessage(JSON.stringify(m))).toEqual({ ok: true, message: m });
    }
  });

  it('drops unknown keys (forward compatible)', () => {
    expect(decodeClientMessage(JSON.stringify({ type: 'ping', later: 1 }))).toEqual({ ok: true, message: { type: 'ping' } });
  });

  it.each([
    ['{not json', 'malformed-json'],
    ['', 'malformed-json'],
    ['null', 'unknown-type'],
    ['[1,2]', 'unknown-type'],
    ['{"type":"hello"}', 'unknown-type'],
    ['{"type":"welcome"}', 'unknown-type'],
    ['{"type":"send","to":"x","body":"b"}', 'invalid-message'],
    [`{"type":"send","to":"${ID}"}`, 'invalid-message'],
    [`{"type":"send","to":"${ID}","body":42}`, 'invalid-message'],
    ['{"type":"admit"}', 'invalid-message'],
  ])('refuses %j as %s', (text, failure) => {
    expect(decodeClientMessage(text)).toEqual({ ok: false, failure });
  });
});

describe('decodeServerMessage', () => {
  it('round-trips a welcome', () => {
    const welcome: ServerMessage = {
      type: 'welcome', v: 1, session: '482-KQT-913', id: ID, role: 'candidate', address: '203.0.113.7',
      members: [{ id: 'fedcba9876543210' }], iceServers: [{ urls: ['stun:stun.example.org'] }],
      limits: { maxFrameBytes: 65536, maxMembers: 5, idleTimeoutMs: 60000 },
    };
    expect(decodeServerMessage(encodeMessage(welcome))).toEqual({ ok: true, message: welcome });
  });

  it('tells an unknown type from a broken known one', () => {
    expect(decodeServerMessage('{"type":"from-the-future"}')).toEqual({ ok: false, failure: 'unknown-type' });
    expect(decodeServerMessage('{"type":"envelope","from":"nope","body":"x"}')).toEqual({ ok: false, failure: 'invalid-message' });
    expect(decodeServerMessage('nope')).toEqual({ ok: false, failure: 'malformed-json' });
  });
});
