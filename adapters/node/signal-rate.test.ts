/**
 * Members keep under the signaling server's message rates, whatever its operator set them to: real Cloud Sessions of
 * Node members (real WebRTC, lanes forced) through a real server whose rates are lower than the defaults. A member
 * that sends faster is closed (4429) and its session ends; none may be here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readConfig, type Env } from '../../signaling/config.ts';
import { startNodeServer, type NodeServer } from '../../signaling/node-server.ts';
import { joinCloudSession, startCloudSession } from '../../core/cloud/join/cloud-start.ts';
import type { CloudSession } from '../../core/cloud/cloud-session.ts';
import { nodeCloudDeps } from './cloud-deps.ts';

let server: NodeServer | null = null;
const sessions: CloudSession[] = [];
/** What the server said it closed, and each session's end. */
const closes: string[] = [];
/** Lane events, printed when the mesh does not form. */
const laneLog: string[] = [];
const started = Date.now();

afterEach(async () => {
  for (const session of sessions.splice(0)) await session.exit().catch(() => {});
  await server?.close();
  server = null;
  closes.length = 0;
  laneLog.length = 0;
});

async function serve(env: Env): Promise<string> {
  server = await startNodeServer({ config: readConfig(env), port: 0, staticRoot: null, log: (line) => void (/closed by server/.test(line) && closes.push(line)) });
  return server.url;
}

/** A member watched: its end (if the server ends it) goes to `closes`, its lanes' events to `laneLog`. */
function watched(session: CloudSession, name: string): CloudSession {
  sessions.push(session);
  session.on('ended', (reason, code) => void closes.push(`${name} ended: ${reason} ${code ?? ''}`));
  session.mesh.on('lane', (peer, lane, what, detail) => void laneLog.push(`${Date.now() - started} ${name} lane ${lane} with ${peer}: ${what} ${detail ?? ''}`));
  return session;
}

/** Every member lists every other with its channel open, and each pair has its forced lanes up (at least one side opened them at once). */
async function meshed(all: CloudSession[], lanes: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    expect(closes).toEqual([]);
    let done = all.every((s) => s.members.length === all.length && s.members.every((m) => m.connected));
    for (const s of done ? all : []) {
      const stats = await s.mesh.laneStats();
      done &&= Object.keys(stats).length === all.length - 1 && Object.values(stats).every((l) => Object.keys(l).length >= 1 + lanes);
    }
    if (done) return;
    if (Date.now() > deadline) throw new Error(`not meshed in ${ms} ms: ${laneLog.join('\n')}\n${JSON.stringify(await Promise.all(all.map((s) => s.mesh.laneStats().then((l) => Object.values(l).map((p) => Object.keys(p))))))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function mesh(url: string, count: number, lanes: number): Promise<CloudSession[]> {
  const deps = (name: string) => ({ ...nodeCloudDeps({ server: url, deviceName: name }), lanes });
  const leader = watched(await startCloudSession(deps('m0')), 'm0');
  const all = [leader];
  for (let i = 1; i < count; i++) {
    // A join fails when the server closed its validator or the candidate itself: say which close it was.
    const joined = await joinCloudSession(deps(`m${i}`), { sessionId: leader.sessionId, password: leader.password }).catch((e: Error) => {
      throw new Error(`m${i} could not join (${e.message}): ${closes.join('; ')}`);
    });
    all.push(watched(joined, `m${i}`));
  }
  return all;
}

describe('members pace their signaling under the rates the server announces', () => {
  it('a pair, three lanes each way, on a server allowing a burst of 16 then 5 a second: every lane connects, nobody is closed', async () => {
    const url = await serve({ QUINTET_CONNECTION_RATE_BURST: '16', QUINTET_CONNECTION_RATE_PER_SECOND: '5' });
    await meshed(await mesh(url, 2, 3), 3, 60_000);
    // Still paced a while after (the last candidates trickle), and still nobody closed.
    await new Promise((r) => setTimeout(r, 1000));
    expect(closes).toEqual([]);
  }, 90_000);

  it('five members behind one address (loopback), a lane each way, on a server allowing the address a burst of 150 then 50 a second', async () => {
    const url = await serve({ QUINTET_ADDRESS_RATE_BURST: '150', QUINTET_ADDRESS_RATE_PER_SECOND: '50' });
    await meshed(await mesh(url, 5, 1), 1, 90_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(closes).toEqual([]);
  }, 150_000);
});
