import { describe, expect, it } from 'vitest';
import { judgeHealth } from './connection-test.ts';
import { SIGNAL_PROTOCOL_VERSION } from '../../../core/protocol/signal-messages.ts';
import { SIGNAL_FEATURES } from '../../../signaling/app.ts';

describe('judgeHealth', () => {
  it('is well with what this build\'s server answers: its protocol version and the rendezvous feature', () => {
    expect(judgeHealth(200, { ok: true, protocol: SIGNAL_PROTOCOL_VERSION, features: SIGNAL_FEATURES })).toEqual({ ok: true, protocol: SIGNAL_PROTOCOL_VERSION });
  });

  it('names what fails: an HTTP error, an answer that is no health, another version, no standing groups', () => {
    expect(judgeHealth(502, null)).toEqual({ ok: false, problem: 'http', status: 502 });
    expect(judgeHealth(200, null)).toEqual({ ok: false, problem: 'not-quintet' });
    expect(judgeHealth(200, { hello: 'world' })).toEqual({ ok: false, problem: 'not-quintet' });
    expect(judgeHealth(200, { protocol: 2, features: ['rendezvous'] }, 1)).toEqual({ ok: false, problem: 'version', server: '2', page: 1 });
    expect(judgeHealth(200, { protocol: 1 }, 1)).toEqual({ ok: false, problem: 'no-rendezvous' });
    expect(judgeHealth(200, { protocol: 1, features: [] }, 1)).toEqual({ ok: false, problem: 'no-rendezvous' });
  });
});
