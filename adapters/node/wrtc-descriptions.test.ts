/**
 * wrtc-descriptions.ts: the W3C bookkeeping of descriptions; a real @roamhq/wrtc connection wrapped answers its getters
 * as the spec says at each step (checked against its native signalingState, never its native SDP getters, whose race
 * is the point); and, in a child process that ends by itself (wrtc-descriptions.fixture.ts), real pairs through the
 * simple-peer fork connect and move data while no description getter ever reaches native code. With the wrapper
 * taken out of simple-peer-node.ts, this test fails: its 6 pairs made 24 native localDescription reads, 216 remoteDescription.
 */
import { runFixture } from './run-fixture.ts';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applied, NO_DESCRIPTIONS, withJsDescriptions } from './wrtc-descriptions.ts';

const FIXTURE = fileURLToPath(new URL('./wrtc-descriptions.fixture.ts', import.meta.url));

const offer = { type: 'offer', sdp: 'o' } as const;
const answer = { type: 'answer', sdp: 'a' } as const;

describe('applied', () => {
  it('an offer waits as pending; the answer makes both current', () => {
    const offered = applied(NO_DESCRIPTIONS, 'local', offer);
    expect(offered).toEqual({ local: { current: null, pending: offer }, remote: { current: null, pending: null } });
    expect(applied(offered, 'remote', answer)).toEqual({ local: { current: offer, pending: null }, remote: { current: answer, pending: null } });
    const answered = applied(applied(NO_DESCRIPTIONS, 'remote', offer), 'local', answer);
    expect(answered).toEqual({ local: { current: answer, pending: null }, remote: { current: offer, pending: null } });
  });

  it('a rollback drops the pending offer and keeps what was current', () => {
    const stable = applied(applied(NO_DESCRIPTIONS, 'local', offer), 'remote', answer);
    const again = { type: 'offer', sdp: 'o2' } as const;
    expect(applied(applied(stable, 'local', again), 'local', { type: 'rollback' })).toEqual(stable);
    expect(applied(applied(stable, 'remote', again), 'remote', { type: 'rollback' })).toEqual(stable);
  });
});

describe('withJsDescriptions on real @roamhq/wrtc', () => {
  const wrtc = createRequire(import.meta.url)('@roamhq/wrtc') as {
    RTCPeerConnection: new (config?: RTCConfiguration) => RTCPeerConnection;
    RTCSessionDescription: new (init: RTCSessionDescriptionInit) => RTCSessionDescription;
  };
  const Wrapped = withJsDescriptions(wrtc.RTCPeerConnection, wrtc.RTCSessionDescription);
  const sdpOf = (d: RTCSessionDescription | null) => d && { type: d.type, sdp: d.sdp };

  it('answers each getter as the spec says through offer, rollback, failure and answer', async () => {
    const a = new Wrapped({ iceServers: [] });
    const b = new Wrapped({ iceServers: [] });
    try {
      expect(a).toBeInstanceOf(wrtc.RTCPeerConnection);
      // Events and handlers still reach the caller through the proxy (the fork sets on* handlers; closeLateChannels listens).
      const heard: string[] = [];
      a.addEventListener('signalingstatechange', () => heard.push(`event ${a.signalingState}`));
      a.onsignalingstatechange = () => heard.push(`handler ${a.signalingState}`);
      a.createDataChannel('data');
      expect(a.localDescription).toBeNull();

      const first = await a.createOffer();
      await a.setLocalDescription(first);
      expect(a.signalingState).toBe('have-local-offer');
      expect(a.localDescription).toBeInstanceOf(wrtc.RTCSessionDescription);
      expect(sdpOf(a.localDescription)).toEqual({ type: 'offer', sdp: first.sdp });
      expect(sdpOf(a.pendingLocalDescription)).toEqual({ type: 'offer', sdp: first.sdp });
      expect(a.currentLocalDescription).toBeNull();

      await a.setLocalDescription({ type: 'rollback' });
      expect(a.signalingState).toBe('stable');
      expect(a.localDescription).toBeNull();

      const offered = await a.createOffer();
      await a.setLocalDescription(offered);
      await b.setRemoteDescription(offered);
      expect(b.signalingState).toBe('have-remote-offer');
      expect(sdpOf(b.remoteDescription)).toEqual({ type: 'offer', sdp: offered.sdp });
      const answered = await b.createAnswer();
      await b.setLocalDescription(answered);
      expect(sdpOf(b.currentLocalDescription)).toEqual({ type: 'answer', sdp: answered.sdp });
      expect(sdpOf(b.currentRemoteDescription)).toEqual({ type: 'offer', sdp: offered.sdp });

      // A set native code refuses (an answer with nothing offered, here on b) changes nothing.
      await expect(b.setRemoteDescription(answered)).rejects.toThrow();
      expect(b.signalingState).toBe('stable');
      expect(sdpOf(b.remoteDescription)).toEqual({ type: 'offer', sdp: offered.sdp });

      await a.setRemoteDescription(answered);
      expect(a.signalingState).toBe('stable');
      expect(sdpOf(a.localDescription)).toEqual({ type: 'offer', sdp: offered.sdp });
      expect(sdpOf(a.currentRemoteDescription)).toEqual({ type: 'answer', sdp: answered.sdp });
      expect(a.pendingLocalDescription).toBeNull();
      expect(a.pendingRemoteDescription).toBeNull();
      await new Promise((resolve) => setImmediate(resolve));
      expect(heard).toEqual(expect.arrayContaining(['event stable', 'handler stable']));
    } finally {
      a.close();
      b.close();
    }
  });

  it('real pairs through the simple-peer fork connect and move data, and no getter reaches native code', async () => {
    const run = await runFixture(FIXTURE, ['6', '3'], 90_000);
    const { said } = run;
    expect(run.signal, said).toBeNull();
    expect(run.code, said).toBe(0);
    const report = run.report<{ connected: number; received: number; statsBytes: number; nativeReads: object }>();
    expect(report.connected, said).toBe(6);
    expect(report.received, said).toBe(6 * 20);
    expect(report.statsBytes, said).toBeGreaterThan(0);
    expect(report.nativeReads, said).toEqual({});
  }, 120_000);
});
