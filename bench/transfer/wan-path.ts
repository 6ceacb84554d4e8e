/**
 * The WebRTC side of the WAN-like path: coturn on loopback behind the UDP delay relay (bench/transfer/delay-relay.ts),
 * with relay-only ICE. Media goes member → relay → coturn → relay → member: each one-way trip crosses the relay twice,
 * so each crossing waits a quarter of the round trip wanted.
 */
import { randomBytes } from 'node:crypto';
import { startTurn } from '../../e2e/support/cloud-servers.ts';
import { turnCredential } from '../../signaling/ice.ts';
import type { PeerTransportOptions } from '../../adapters/shared/simple-peer-transport.ts';
import { startRelays } from './delay-relay.ts';

export interface TurnPath {
  /** `turn:` URL of the relay in front of coturn (what members are given). */
  url: string;
  /** coturn's shared secret (QUINTET_TURN_SECRET of the signaling server). */
  secret: string;
  /** ICE options for a peer connection of the bench itself: relay only, a fresh credential. */
  ice(): Promise<PeerTransportOptions>;
  stop(): Promise<void>;
}

/** coturn plus a UDP relay delaying each crossing by `rttMs / 4`. */
export async function turnPath(rttMs: number): Promise<TurnPath> {
  const secret = randomBytes(16).toString('hex');
  const turn = await startTurn(secret);
  const relay = await startRelays({ delayMs: rttMs / 4, udp: turn.port, tcp: [], windowBytes: 0 }).catch(async (error: unknown) => {
    await turn.stop();
    throw error;
  });
  const url = `turn:127.0.0.1:${relay.udp}?transport=udp`;
  return {
    url,
    secret,
    async ice() {
      const username = `${Math.floor(Date.now() / 1000) + 3600}:bench`;
      return { iceServers: [{ urls: [url], username, credential: await turnCredential(secret, username) }], iceTransportPolicy: 'relay' };
    },
    async stop() {
      relay.stop();
      await turn.stop();
    },
  };
}
