/**
 * The WebRTC side of the WAN-like path: coturn on loopback behind the UDP delay relay (bench/transfer/delay-relay.ts),
 * with relay-only ICE. Media goes member → relay → coturn → relay → member: each one-way trip crosses the relay twice,
 * so each crossing waits a quarter of the round trip wanted.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../e2e/support/free-port.ts';
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
  /** Datagrams the link's drop-tail queues dropped so far, both directions (0 unpaced). */
  dropped(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * coturn on 127.0.0.1 with the REST-API shared secret, as e2e/support/cloud-servers.ts starts it, but with 100 relay
 * ports above the ephemeral range (each peer connection allocates one per local IPv4 address on each side, and the
 * striped raw run opens several) and no verbose log.
 */
async function startCoturn(secret: string): Promise<{ port: number; stop(): Promise<void> }> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'quintet-bench-turn-'));
  const log = join(dir, 'turn.log');
  const relayBase = 61_000 + (port % 40) * 100;
  const child = spawn('turnserver', [
    '-n', '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${port}`,
    '--use-auth-secret', `--static-auth-secret=${secret}`, '--realm=quintet.bench',
    '--allow-loopback-peers', '--no-tls', '--no-dtls', '--no-cli', '--fingerprint',
    `--min-port=${relayBase}`, `--max-port=${relayBase + 99}`, `--log-file=${log}`, '--simple-log', `--pidfile=${join(dir, 'turn.pid')}`,
  ], { stdio: 'ignore' });
  const stop = async () => {
    if (child.exitCode === null) await new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM')));
    await rm(dir, { recursive: true, force: true });
  };
  for (const end = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 200))) {
    const text = await readFile(log, 'utf8').catch(() => '');
    if (/listener opened on|Total General servers/i.test(text)) return { port, stop };
    if (child.exitCode !== null || Date.now() > end) {
      await stop();
      throw new Error(`turnserver did not start: ${text.slice(-2000)}`);
    }
  }
}

/** coturn plus a UDP relay delaying each crossing by `rttMs / 4`, with `link` (a rate and its queue) when given. */
export async function turnPath(rttMs: number, link: { rateMbit: number; queueBytes: number } | null = null): Promise<TurnPath> {
  const secret = randomBytes(16).toString('hex');
  const turn = await startCoturn(secret);
  const relay = await startRelays({ delayMs: rttMs / 4, udp: turn.port, tcp: [], windowBytes: 0, ...(link ?? {}) }).catch(async (error: unknown) => {
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
    dropped: () => relay.dropped(),
    async stop() {
      relay.stop();
      await turn.stop();
    },
  };
}
