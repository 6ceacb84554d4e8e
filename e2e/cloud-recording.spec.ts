/** Issue 5: the signaling server sees nothing secret — every frame it receives during a full session is recorded and checked. */
import { test, expect } from '@playwright/test';
import { join, meshed, newMember, startSession, submitJoin } from './support/cloud-members.ts';
import { startRecordingProxy } from './support/cloud-recording-proxy.ts';
import { writeTree } from './support/opfs-tree.ts';

const FOLDER = 'zz-private-folder-name';
const FILE = 'zz-private-file-name.txt';
const BYTES = 'zz-private-file-bytes-0123456789';

test('no frame the signaling server receives holds the password, a session key, a file name or file bytes', async ({ browser, baseURL }) => {
  const proxy = await startRecordingProxy(baseURL!);
  try {
    const [ma, mb, mc] = await Promise.all(['alpha', 'bravo', 'charlie'].map((name) => newMember(browser, { baseURL: proxy.url, name })));
    const [a, b, c] = [ma!.page, mb!.page, mc!.page];
    const keys = new Set<string>();
    const grabKey = async () => {
      for (const page of [a, b, c]) {
        const key = await page.evaluate(() => {
          const cloud = (window as unknown as { __quintetCloud?: { session: { mesh: { keys: { sessionKey: Uint8Array } } } } }).__quintetCloud;
          return cloud ? Array.from(cloud.session.mesh.keys.sessionKey) : null;
        }).catch(() => null);
        if (key) keys.add(Buffer.from(key).toString('hex'));
      }
    };

    const { id, password } = await startSession(a);
    await submitJoin(b, id, 'AAAA-BBBB-CCCC-DDDD');
    await expect(b.getByRole('alert')).toBeVisible();
    await join(b, id, password, 'B');
    await join(c, id, password, 'C');
    for (const page of [a, b, c]) await meshed(page, 3);
    await grabKey();

    // Each member adds a folder holding a file: names travel over the mesh, sealed; the server must never see them.
    for (const page of [a, b, c]) {
      await writeTree(page, FOLDER, { [FILE]: { text: BYTES } });
      await page.evaluate((f) => (window as unknown as { __quintetPicks: string[] }).__quintetPicks.push(f), FOLDER);
      await page.getByRole('button', { name: 'Add directory' }).click();
    }
    await expect(a.getByRole('region', { name: 'Member C' })).toContainText(FOLDER);
    await a.getByRole('button', { name: 'Restart session' }).click();
    await expect.poll(() => c.evaluate(() => (window as unknown as { __quintetCloud: { session: { epoch: number } } }).__quintetCloud.session.epoch)).toBe(1);
    await grabKey();
    await b.getByRole('button', { name: 'Exit session' }).click();
    await expect.poll(() => a.evaluate(() => (window as unknown as { __quintetCloud: { session: { epoch: number } } }).__quintetCloud.session.epoch)).toBe(2);
    await grabKey();
    for (const page of [a, c]) await page.getByRole('button', { name: 'Exit session' }).click();

    expect(proxy.frames.length).toBeGreaterThan(20);
    expect(proxy.frames.some((f) => f.includes('"type":"send"'))).toBe(true);
    expect(keys.size).toBe(3); // three epochs seen
    const compact = password.replaceAll('-', '');
    const forbidden = [password, compact, compact.toLowerCase(), FOLDER, FILE, BYTES];
    for (const hex of keys) {
      const raw = Buffer.from(hex, 'hex');
      forbidden.push(hex, raw.toString('base64'), raw.toString('base64url'), raw.toString('base64').replace(/=+$/, ''), raw.toString('latin1'));
    }
    // Also inside anything base64-looking a client sent (a careless client could send secrets encoded once).
    const decoded = proxy.frames.flatMap((f) => (f.match(/[A-Za-z0-9_-]{16,}/g) ?? []).map((s) => Buffer.from(s, 'base64url').toString('latin1')));
    for (const secret of forbidden) {
      for (const frame of [...proxy.frames, ...decoded]) expect(frame.includes(secret), `a frame contains ${secret}`).toBe(false);
    }
    // SDP never travels in clear either.
    for (const frame of proxy.frames) expect(frame).not.toMatch(/a=fingerprint|candidate:|"sdp"/);
    for (const m of [ma, mb, mc]) await m!.context.close();
  } finally {
    await proxy.close();
  }
});
