/**
 * Signaling load run (on demand, not part of `npm test`): the Node server as a child process on 127.0.0.1,
 * N sessions of M members that join through the candidate → admit path, then every member relays envelopes to
 * the next one in its session at a fixed rate. Reports relay latency p50/p99, throughput and RSS per connection.
 * Bounded: fixed counts, fixed duration, and a hard deadline that kills everything.
 *
 *   npx tsx bench/signaling/load.ts [--sessions 400] [--members 5] [--seconds 20] [--rate 10] [--body 256] [--deadline 240]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { inBatches, openFilesLimit, quantile, rssOf } from './measure.ts';

const { values: flags } = parseArgs({
  options: {
    sessions: { type: 'string', default: '400' },
    members: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '20' },
    rate: { type: 'string', default: '10' },
    body: { type: 'string', default: '256' },
    deadline: { type: 'string', default: '240' },
  },
});
const SESSIONS = Number(flags.sessions);
const MEMBERS = Math.min(5, Number(flags.members));
const SECONDS = Number(flags.seconds);
const RATE = Number(flags.rate); // envelopes per second per member
const BODY = Number(flags.body);
const CONNECTIONS = SESSIONS * MEMBERS;

interface Member {
  ws: WebSocket;
  id: string;
  session: string;
  next?: string;
  inbox: Array<(m: Record<string, unknown>) => boolean>;
}

let server: ChildProcess | null = null;
const sockets: WebSocket[] = [];
const deadline = setTimeout(() => fail(`deadline of ${flags.deadline} s reached`), Number(flags.deadline) * 1000);

function fail(why: string): never {
  console.error(`load run aborted: ${why}`);
  for (const ws of sockets) ws.terminate();
  server?.kill('SIGKILL');
  process.exit(1);
}

/** Starts `signaling/node.ts` on an ephemeral port with per-address caps lifted: every client here is 127.0.0.1. */
function startServer(): Promise<{ port: number; pid: number }> {
  const entry = fileURLToPath(new URL('../../signaling/node.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: {
      ...process.env, PORT: '0', HOST: '127.0.0.1',
      QUINTET_MAX_CONNECTIONS_PER_ADDRESS: String(CONNECTIONS + 10),
      QUINTET_CONNECT_RATE_BURST: String(CONNECTIONS + 10),
      QUINTET_SESSION_CREATE_RATE_BURST: String(SESSIONS + 10),
      QUINTET_ADDRESS_RATE_BURST: '1000000000', QUINTET_ADDRESS_RATE_PER_SECOND: '1000000000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  server = child;
  return new Promise((resolve) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const port = out.match(/Quintet on http:\/\/localhost:(\d+)/)?.[1];
      if (port && child.pid) {
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume(); // keep draining the server's log lines
        resolve({ port: Number(port), pid: child.pid });
      }
    });
    child.on('exit', (code) => fail(`server exited with ${code}`));
  });
}

/** Opens a socket and resolves with its welcome; later messages go to the member's inbox handlers. */
function connect(url: string): Promise<Member> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    sockets.push(ws);
    const member: Member = { ws, id: '', session: '', inbox: [] };
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as Record<string, unknown>;
      if (message.type === 'welcome') {
        member.id = String(message.id);
        member.session = String(message.session);
        return resolve(member);
      }
      member.inbox = member.inbox.filter((handler) => !handler(message));
    });
    ws.on('close', (code, reason) => reject(new Error(`closed ${code} ${reason.toString()}`)));
    ws.on('error', reject);
  });
}

function until(member: Member, type: string, check: (m: Record<string, unknown>) => boolean = () => true): Promise<void> {
  return new Promise((resolve) => member.inbox.push((m) => (m.type === type && check(m) ? (resolve(), true) : false)));
}

/** One session: the creator, then each candidate speaks to it and is admitted, as a PAKE join would go. */
async function buildSession(base: string): Promise<Member[]> {
  const creator = await connect(`${base}/signal`);
  const members = [creator];
  for (let i = 1; i < MEMBERS; i++) {
    const seen = until(creator, 'envelope');
    const candidate = await connect(`${base}/signal?session=${creator.session}`);
    const admitted = until(candidate, 'admitted');
    candidate.ws.send(JSON.stringify({ type: 'send', to: creator.id, body: 'pake' }));
    await seen;
    creator.ws.send(JSON.stringify({ type: 'admit', candidate: candidate.id }));
    await admitted;
    members.push(candidate);
  }
  members.forEach((m, i) => { m.next = members[(i + 1) % members.length]?.id; });
  return members;
}

async function main(): Promise<void> {
  const limit = openFilesLimit();
  if (limit < CONNECTIONS + 256) fail(`open-files limit ${limit} < ${CONNECTIONS + 256}: raise it with ulimit -n`);
  const { port, pid } = await startServer();
  const base = `ws://127.0.0.1:${port}`;
  await new Promise((r) => setTimeout(r, 500));
  const rssIdle = rssOf(pid);

  const t0 = performance.now();
  const all: Member[][] = [];
  await inBatches(Array.from({ length: SESSIONS }, (_, i) => i), 16, async () => { all.push(await buildSession(base)); });
  const setupSeconds = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 1000));
  const rssConnected = rssOf(pid);

  // Relay phase: every member sends to the next one in its ring; bodies carry the send time.
  const latencies: number[] = [];
  let sent = 0;
  const members = all.flat();
  for (const m of members) {
    m.ws.on('message', (data) => {
      const text = String(data);
      const at = text.indexOf('"body":"');
      if (at < 0 || !text.startsWith('{"type":"envelope"')) return;
      latencies.push(performance.now() - Number(text.slice(at + 8, text.indexOf('|', at))));
    });
  }
  const pad = 'x'.repeat(Math.max(0, BODY - 20));
  // Sends are spread over 10 ms ticks, rotating through the members, so the offered load is smooth
  // rather than one burst per member per period (which would measure burst draining, not relay).
  const tickMs = 10;
  const perTick = (CONNECTIONS * RATE * tickMs) / 1000;
  let credit = 0;
  let cursor = 0;
  const started = performance.now();
  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      const now = performance.now();
      if (now - started >= SECONDS * 1000) {
        clearInterval(timer);
        return done();
      }
      // Credit follows real elapsed time, so a late timer catches up instead of lowering the offered load.
      credit = (now - started) / tickMs * perTick - sent;
      for (; credit >= 1; credit--) {
        const m = members[cursor++ % members.length] as Member;
        m.ws.send(`{"type":"send","to":"${m.next}","body":"${performance.now().toFixed(3)}|${pad}"}`);
        sent++;
      }
    }, tickMs);
  });
  await new Promise((r) => setTimeout(r, 2000)); // let in-flight envelopes land
  const elapsed = SECONDS;
  const rssAfter = rssOf(pid);
  latencies.sort((a, b) => a - b);
  const closedEarly = sockets.filter((ws) => ws.readyState !== WebSocket.OPEN).length;

  const report = {
    connections: CONNECTIONS, sessions: SESSIONS, membersPerSession: MEMBERS, seconds: SECONDS,
    offeredPerSecond: CONNECTIONS * RATE, bodyBytes: BODY,
    setupSeconds: Number(setupSeconds.toFixed(2)),
    sent, delivered: latencies.length, closedEarly,
    throughputPerSecond: Math.round(latencies.length / elapsed),
    latencyMs: { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: latencies.at(-1) ?? Number.NaN },
    rssMiB: { idle: rssIdle / 2 ** 20, connected: rssConnected / 2 ** 20, afterRelay: rssAfter / 2 ** 20 },
    rssPerConnectionKiB: (rssConnected - rssIdle) / CONNECTIONS / 1024,
  };
  const fixed = JSON.parse(JSON.stringify(report, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(2)) : v)));
  console.log(JSON.stringify(fixed, null, 2));
  for (const ws of sockets) ws.terminate();
  server?.removeAllListeners('exit');
  server?.kill('SIGTERM');
  clearTimeout(deadline);
}

await main();
