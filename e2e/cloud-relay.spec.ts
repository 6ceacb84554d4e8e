/** Issue 5: with iceTransportPolicy 'relay' the mesh works through a real coturn on loopback (TURN REST credentials). */
import { test, expect } from '@playwright/test';
import { join, meshed, newMember, startSession } from './support/cloud-members.ts';
import { startSignaling, startTurn } from './support/cloud-servers.ts';

test('relay-only: two members connect through TURN and exchange sealed messages', async ({ browser }) => {
  const secret = 'e2e-turn-secret-' + Math.random().toString(36).slice(2);
  const turn = await startTurn(secret);
  const server = await startSignaling({ QUINTET_TURN_URLS: `turn:127.0.0.1:${turn.port}?transport=udp`, QUINTET_TURN_SECRET: secret });
  try {
    const ice = (await (await fetch(`${server.url}/ice`)).json()) as { iceServers: { urls: string[]; username?: string }[] };
    expect(ice.iceServers[0]?.urls[0]).toContain(`127.0.0.1:${turn.port}`);
    const [ma, mb] = await Promise.all(['alpha', 'bravo'].map((name) => newMember(browser, { baseURL: server.url, relayOnly: true, name })));
    const [a, b] = [ma!.page, mb!.page];
    const { id, password } = await startSession(a);
    await join(b, id, password, 'B');
    for (const page of [a, b]) await meshed(page, 2);
    // The profile (device name) crossed the relayed data channel.
    await expect(a.getByRole('region', { name: 'Member B' })).toContainText('bravo');
    await expect(b.getByRole('region', { name: 'Member A' })).toContainText('alpha');
    // coturn allocated relays for this session.
    expect(turn.log()).toMatch(/ALLOCATE/);
    for (const m of [ma, mb]) await m!.context.close();
  } finally {
    await server.stop();
    await turn.stop();
  }
});
