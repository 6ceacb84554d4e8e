/** Hostile member, finding 4: a small part cannot inflate without bound, a sender cannot hold memory past its budget. */
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { cloudMembers, inventoryAll, until } from '../../signaling/testing/cloud-members.ts';
import { gunzipCapped, nodeCompressor } from '../../adapters/node/compressor.ts';
import { MemFs } from '../testing/memfs.ts';
import type { Compressor } from '../ports.ts';
import { fromUtf8, toB64u } from '../crypto/bytes.ts';
import { decodeMeshMessage } from '../protocol/mesh-codec.ts';
import { MAX_PARTS, PART_BYTES } from '../protocol/run-messages.ts';
import { MAX_BLOB_BYTES, MAX_BLOB_JSON, MAX_INFLATION, PartCollector, fromBlob, inflateLimit, toParts } from '../transfer/blob-parts.ts';
import { BlobInbox } from '../transfer/blob-inbox.ts';
import { inThreadDecoder } from '../transfer/blob-parts.ts';

/** zlib's output chunk: the Compressor may make one chunk past its cap before it stops. */
const CHUNK = 64 * 1024;
const MiB = 1024 * 1024;

/** The Node Compressor, counting every byte it inflates (`made`) and the largest output it returned (`kept`). */
function counting(): Compressor & { made: number } {
  const c = {
    made: 0,
    compress: nodeCompressor.compress,
    decompress: (data: Uint8Array, max: number) => gunzipCapped(data, max, (n) => (c.made += n)),
  };
  return c;
}

/** 64 MiB of JSON-looking filler behind a byte that is not UTF-8: ~65 KB once compressed, one part. */
function bomb(): Uint8Array {
  const json = Buffer.alloc(64 * MiB, 0x20);
  json[0] = 0xff;
  return new Uint8Array(gzipSync(json, { level: 9 }));
}
const partsOf = (bytes: Uint8Array) => {
  const count = Math.max(1, Math.ceil(bytes.length / PART_BYTES));
  return Array.from({ length: count }, (_, seq) => ({ seq, count, data: toB64u(bytes.subarray(seq * PART_BYTES, (seq + 1) * PART_BYTES)) }));
};

describe('hostile member — finding 4: inflation, budgets and UTF-8 of what peers send', () => {
  it('one part deflated from 64 MiB is cut while inflating: bytes made stay within its ratio, far under 64 MiB', async () => {
    const packed = bomb();
    expect(packed.length).toBeLessThan(PART_BYTES); // one part, as in the report (98 KB there)
    const collector = new PartCollector();
    let whole: Uint8Array | null = null;
    for (const part of partsOf(packed)) whole = collector.add(part);
    const compressor = counting();
    await expect(fromBlob(whole!, compressor)).rejects.toThrow(/too large/);
    expect(compressor.made).toBeLessThan(20 * MiB);
    expect(compressor.made).toBeLessThanOrEqual(packed.length * MAX_INFLATION + CHUNK);
  });

  it('the absolute cap holds for any size, fits a JavaScript string, and an honest inventory-sized blob still decodes', async () => {
    expect(inflateLimit(MAX_BLOB_BYTES)).toBe(MAX_BLOB_JSON);
    expect(inflateLimit(Number.MAX_SAFE_INTEGER)).toBe(MAX_BLOB_JSON);
    expect(MAX_BLOB_JSON).toBeLessThanOrEqual(2 ** 29 - 24); // V8's longest string: the cap is reachable without a crash
    expect(MAX_BLOB_BYTES).toBeLessThanOrEqual(MAX_PARTS * PART_BYTES);
    const items = Array.from({ length: 20_000 }, (_, i) => [`photos/2024/IMG_${i}.jpg`, 1000 + i, 1_700_000_000_000, 1 << 20, 'ab'.repeat(32), 'cd'.repeat(32)]);
    const value = [['B1', 'src', 'directory', 'Photos', items, []]];
    const collector = new PartCollector();
    let whole: Uint8Array | null = null;
    for (const part of await toParts(value, nodeCompressor)) whole = collector.add(part);
    expect(await fromBlob(whole!, counting())).toEqual(value);
  });

  it('a sender’s parts are held within its budget per kind: refused once, its later parts dropped, others unaffected', async () => {
    const budget = { 'inventory-part': 4 * PART_BYTES, 'inventory-delta-part': 4 * PART_BYTES, 'plan-part': 4 * PART_BYTES };
    const inbox = new BlobInbox(inThreadDecoder(nodeCompressor), budget);
    const noise = toB64u(new Uint8Array(PART_BYTES).fill(7));
    // Declares more parts than its budget can hold: refused at the first one, nothing kept.
    const declared = await inbox.add('b', 'inventory-part', 'r1', { seq: 0, count: MAX_PARTS, data: noise });
    expect(declared).toMatchObject({ ok: false, reason: 'over-budget' });
    expect(inbox.held('b', 'inventory-part')).toBe(0);
    // Declares few parts but sends more bytes than the budget: held never passes it, one refusal, then silence.
    const outcomes = [];
    for (let seq = 0; seq < 20; seq++) {
      outcomes.push(await inbox.add('c', 'inventory-part', 'r1', { seq: seq % 4, count: 4, data: seq < 3 ? noise : noise + noise.slice(0, 4) }));
      expect(inbox.held('c', 'inventory-part')).toBeLessThanOrEqual(budget['inventory-part']);
    }
    expect(outcomes.filter((o) => o !== null)).toHaveLength(1);
    expect(inbox.held('c', 'inventory-part')).toBe(0);
    // Another sender, and another kind of the same sender, still get their blobs through.
    const plan = { inventoryRun: 'r1', actions: [], conflicts: [] };
    for (const [from, kind] of [['d', 'inventory-part'], ['c', 'plan-part']] as const) {
      const [part] = await toParts(plan, nodeCompressor);
      expect(await inbox.add(from, kind, 'r1', part!)).toEqual({ ok: true, value: plan });
    }
  });

  it('through a real run: B’s bomb and B’s 2,048-part blob are refused with a problem, A inflates within the cap, the next round compares', async () => {
    const compressor = counting();
    const runs = await cloudMembers([MemFs.from({ 'a.txt': 'a' }, { name: 'A' }), MemFs.from({ 'b.txt': 'b' }, { name: 'B' })], { compressor: (i) => (i === 0 ? compressor : nodeCompressor) });
    const [a, b] = runs as [(typeof runs)[0], (typeof runs)[0]];
    const problems: string[] = [];
    a.run.on('problem', (p) => problems.push(p));

    const [part] = partsOf(bomb());
    await b.session.broadcastRun({ type: 'inventory-part', v: 1, run: 'forged-1', ...part! });
    const filler = toB64u(new Uint8Array(PART_BYTES));
    for (let seq = 0; seq < 8; seq++) await b.session.broadcastRun({ type: 'inventory-part', v: 1, run: 'forged-2', seq, count: MAX_PARTS, data: filler });
    await until(() => problems.length >= 2);
    expect(problems).toHaveLength(2); // the bomb is refused once decoded, maybe after the other one
    expect(problems.find((p) => p.startsWith('inventory-part-refused:B:undecodable'))).toMatch(/too large/);
    expect(problems.filter((p) => p.startsWith('inventory-part-refused:B:over-budget'))).toHaveLength(1);
    expect(compressor.made).toBeLessThan(20 * MiB);

    await inventoryAll(runs);
    expect(a.run.comparison!.sources).toEqual(['A1', 'B1']);
  }, 30_000);

  it('UTF-8 of every mesh message: malformed bytes refused, a leading BOM kept, 16 MiB of mixed text decoded whole', () => {
    const bad = [[0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x80], [0xff], [0x61, 0xf0, 0x9f, 0x99]];
    for (const b of bad) expect(fromUtf8(Uint8Array.from(b))).toBeNull();
    expect(fromUtf8(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61))).toBe('\ufeffa');
    expect(decodeMeshMessage(Uint8Array.of(0x7b, 0xc0, 0x80, 0x7d))).toEqual({ ok: false, failure: 'malformed-json' });
    const text = 'aé日🙂'.repeat(Math.ceil((16 * MiB) / 10));
    const bytes = new TextEncoder().encode(text);
    expect(bytes.length).toBeGreaterThanOrEqual(16 * MiB);
    const back = fromUtf8(bytes);
    expect(back?.length).toBe(text.length);
    expect(back === text).toBe(true);
  });
});
