/** The Node entry over real WebSockets: the shared behaviour suite, plus what only Node has (injected clock, logs, caps, static files). */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_REASONS, CloseCode } from '../core/protocol/close-codes.ts';
import { readConfig } from './config.ts';
import { startNodeServer, type NodeServer } from './node-server.ts';
import { SUITE_ENV, behaviourSuite, freshAddress, moves, type SignalTarget } from './testing/behaviour-suite.ts';
import { openClient } from './testing/test-client.ts';

/** Real time plus an offset the test moves forward: rate buckets see time pass, blocks can be aged an hour at once. */
class ShiftedClock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
}

/** A Node server behind one trusted proxy, so tests choose client addresses through X-Forwarded-For. */
async function nodeTarget(extraEnv: Record<string, string> = {}, clock = new ShiftedClock(), log: string[] = []) {
  const server = await startNodeServer({
    config: readConfig({ ...SUITE_ENV, QUINTET_TRUST_PROXY_HOPS: '1', ...extraEnv }),
    port: 0, staticRoot: null, clock, log: (line) => log.push(line),
  });
  const target: SignalTarget = {
    connect: (query, address) => openClient(`ws://127.0.0.1:${server.port}/signal${query}`, { 'X-Forwarded-For': address }),
    fetch: (path, init) => fetch(`${server.url}${path}`, init),
    logs: () => log,
    close: () => server.close(),
  };
  return { server, target, clock, log };
}

behaviourSuite('Node', async () => (await nodeTarget()).target);

describe('signaling on Node only', () => {
  let node: Awaited<ReturnType<typeof nodeTarget>>;
  beforeAll(async () => { node = await nodeTarget({ QUINTET_MAX_CONNECTIONS_PER_ADDRESS: '3' }); });
  afterAll(async () => { await node.server.close(); });
  const { create, knock, join: joinAs, roundTrip, failedJoin } = moves(() => node.target);

  it('lifts a block after one hour on the injected clock', async () => {
    const member = await create();
    const attacker = freshAddress();
    for (let i = 0; i < 5; i++) await failedJoin(member, member.welcome.session, attacker);
    expect((await (await node.target.connect(`?session=${member.welcome.session}`, attacker)).closed).code).toBe(CloseCode.Blocked);
    node.clock.offset += 59 * 60_000;
    expect((await (await node.target.connect(`?session=${member.welcome.session}`, attacker)).closed).code).toBe(CloseCode.Blocked);
    node.clock.offset += 60_000;
    member.client.send({ type: 'ping' }); // the member is not idle: time jumped, it did not sleep
    const back = await knock(member.welcome.session, attacker);
    expect(back.welcome.role).toBe('candidate');
    await back.client.close();
  });

  it('does not block failures spread wider than ten minutes', async () => {
    const member = await create();
    const slow = freshAddress();
    for (let i = 0; i < 6; i++) {
      await failedJoin(member, member.welcome.session, slow);
      node.clock.offset += 2.6 * 60_000; // four failures never fit in one 10-minute window with the fifth
      member.client.send({ type: 'ping' });
      await member.client.next('pong');
    }
    expect(await node.server.guard.list()).not.toContainEqual(expect.objectContaining({ address: slow }));
    const again = await knock(member.welcome.session, slow);
    expect(again.welcome.role).toBe('candidate');
  });

  it('caps connections per address', async () => {
    const address = freshAddress();
    const a = await create(address);
    const b = await joinAs(a.welcome.session, [a], address);
    const c = await knock(a.welcome.session, address);
    const fourth = await node.target.connect('', address);
    expect(await fourth.closed).toEqual({ code: CloseCode.RateLimited, reason: CLOSE_REASONS.tooManyConnections });
    await c.client.close();
    await a.client.next('left');
    const again = await knock(a.welcome.session, address);
    expect(again.welcome.role).toBe('candidate');
    await roundTrip(a, b, 'fine');
  });

  it('drops frames past the hard cap at the socket (1009) before reading them', async () => {
    const a = await create();
    a.client.sendRaw('x'.repeat(65_536 * 4 + 1));
    expect((await a.client.closed).code).toBe(1009);
  });
});

describe('Node entry without a trusted proxy', () => {
  let server: NodeServer;
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'quintet-web-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Quintet</title>');
    writeFileSync(join(root, 'app.js'), 'console.log(1)');
    writeFileSync(join(root, 'sw.js'), 'self.skipWaiting');
    writeFileSync(join(root, 'manifest.webmanifest'), '{}');
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'assets', 'index-a1b2c3.js'), '');
    server = await startNodeServer({ config: readConfig({}), port: 0, staticRoot: root });
  });
  afterAll(async () => { await server.close(); });

  it('ignores X-Forwarded-For and reports the socket address', async () => {
    const client = await openClient(`ws://127.0.0.1:${server.port}/signal`, { 'X-Forwarded-For': '203.0.113.1' });
    expect((await client.next('welcome')).address).toBe('127.0.0.1');
    await client.close();
  });

  it('serves the PWA with an SPA fallback, and /health as JSON', async () => {
    expect(await (await fetch(`${server.url}/app.js`)).text()).toBe('console.log(1)');
    expect(await (await fetch(`${server.url}/session/482-KQT-913`)).text()).toContain('<title>Quintet</title>');
    const health = await fetch(`${server.url}/health`);
    expect(health.headers.get('content-type')).toContain('application/json');
    expect(await health.json()).toEqual({ ok: true, protocol: 1, features: ['rendezvous', 'resume', 'rehome'] });
  });

  it('serves the service worker and the shell for revalidation, hashed assets for a year', async () => {
    const sw = await fetch(`${server.url}/sw.js`);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    expect(sw.headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${server.url}/`)).headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(`${server.url}/session/482-KQT-913`)).headers.get('cache-control')).toBe('no-cache');
    const manifest = await fetch(`${server.url}/manifest.webmanifest`);
    expect(manifest.headers.get('content-type')).toContain('application/manifest+json');
    expect(manifest.headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(`${server.url}/assets/index-a1b2c3.js`)).headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${server.url}/health`)).headers.get('cache-control')).toBeNull();
  });

  it('has admin disabled without a token', async () => {
    expect((await fetch(`${server.url}/admin/blocked`, { headers: { Authorization: 'Bearer x' } })).status).toBe(404);
  });

  it('closes every connection with 1001 on shutdown', async () => {
    const other = await startNodeServer({ config: readConfig({}), port: 0, staticRoot: null });
    const client = await openClient(`ws://127.0.0.1:${other.port}/signal`);
    await client.next('welcome');
    await other.close();
    expect(await client.closed).toEqual({ code: CloseCode.GoingAway, reason: CLOSE_REASONS.shutdown });
  });
});
