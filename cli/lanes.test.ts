/** Lanes for real (issue 16): two `quintet` processes over @roamhq/wrtc, the owner forced to three extra peer connections, mirror a few MiB byte for byte. */
import { withSignalingServer } from './test-server.ts';
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seedDir, tempDir } from '../adapters/node/temp-tree.ts';
import { laneBytes, quintetRunner, sessionOf } from './cli-process.ts';

const { running, quintet } = quintetRunner();

describe('lanes between two quintet processes', () => {
  const server = withSignalingServer(running);

  it('the owner forced to 3 lanes: pieces travel on all of them, the mirror is byte for byte; a member without the feature gets none', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let f = 0; f < 6; f++) files[`f${f}.bin`] = new Uint8Array(1_000_000 + f * 17).map((_, i) => (i * (f + 3) + (i >> 9)) % 251);
    for (let f = 0; f < 40; f++) files[`small/s${f}.txt`] = new TextEncoder().encode(`small ${f} `.repeat(50 + f));
    const tree: Record<string, unknown> = { small: {} };
    for (const [path, bytes] of Object.entries(files)) {
      if (path.startsWith('small/')) (tree.small as Record<string, Uint8Array>)[path.slice(6)] = bytes;
      else tree[path] = bytes;
    }

    for (const receiverFeatures of [undefined, 'inventory-modes,inventory-delta,block-deflate']) {
      const [a, b] = [await tempDir(), await tempDir()];
      await seedDir(a, tree as Parameters<typeof seedDir>[1]);
      const stats = { QUINTET_TEST_CHANNEL_STATS: '1' };
      const leader = await quintet(['create', '--source', a, '--server', server.url, '--name', 'nas', '--preset', 'mirror', '--from', 'A1', '--to', 'B1', '--yes', '--members', '2'], { ...stats, QUINTET_TEST_LANES: '3' });
      const { link } = await sessionOf(leader);
      const member = await quintet(['join', link, '--source', b, '--server', server.url, '--name', 'office'], { ...stats, ...(receiverFeatures !== undefined ? { QUINTET_TEST_FEATURES: receiverFeatures } : {}) });
      expect(await leader.exited, leader.stdout() + leader.stderr()).toBe(0);
      await member.line(/^B office \(this computer\): 47 done, 0 failed, 0 skipped/m); // 46 files and the folder
      await member.line(/^Lanes received at result: /m);
      for (const [path, bytes] of Object.entries(files)) expect(Buffer.compare(await readFile(join(b, path)), Buffer.from(bytes)), path).toBe(0);
      const lanes = laneBytes(member.stdout());
      const total = Object.values(files).reduce((n, f) => n + f.length, 0);
      if (receiverFeatures === undefined) {
        // Every lane the owner opened carried a real share of the pieces, and all of them together the files' bytes.
        expect(Object.keys(lanes).sort(), member.stdout() + member.stderr() + leader.stderr()).toEqual(['0', 'in-1', 'in-2', 'in-3']);
        for (const lane of ['in-1', 'in-2', 'in-3']) expect(lanes[lane], lane).toBeGreaterThan(total / 50);
        expect(Object.values(lanes).reduce((n, l) => n + l, 0)).toBeGreaterThan(total * 0.9);
      } else {
        expect(Object.keys(lanes), member.stdout()).toEqual(['0']);
        expect(lanes['0']).toBeGreaterThan(total * 0.9); // the small text files may travel compressed
      }
      expect(member.stderr()).not.toMatch(/dropped|lane-/);
      expect(await member.interrupt()).toBe(130);
    }
  }, 240_000);
});
