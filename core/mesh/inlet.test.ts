/** The inlet's hold for frames that come before their turn: order restored, bounds kept (mesh.test.ts runs it with real sealing). */
import { describe, expect, it } from 'vitest';
import { Inlet, MAX_HELD_BYTES, MAX_HELD_FRAMES } from './inlet.ts';
import type { Opened } from './mesh-keys.ts';
import { settleUntilQuiet } from '../testing/settle.ts';

/** A frame whose first four bytes are its counter (the opener below plays MeshKeys' part), `size` bytes long. */
const frame = (counter: number, size = 8): Uint8Array => {
  const bytes = new Uint8Array(size);
  new DataView(bytes.buffer).setUint32(0, counter);
  return bytes;
};
const counterOf = (bytes: Uint8Array): number => new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);

/** An inlet over a strict in-order opener: the next counter opens, a later one is `ahead`, an earlier one a replay. */
function inlet() {
  let expected = 0;
  const delivered: number[] = [];
  const drops: string[] = [];
  const open = async (bytes: Uint8Array): Promise<Opened> => {
    const counter = counterOf(bytes);
    if (counter < expected) return { ok: false, reason: 'replay' };
    if (counter > expected) return { ok: 'ahead' };
    expected++;
    return { ok: true, data: bytes };
  };
  const it = new Inlet({ open, deliver: (data) => delivered.push(counterOf(data)), drop: (reason) => drops.push(reason), alive: () => true });
  const settle = () => settleUntilQuiet(() => delivered.length + drops.length, 20);
  return { it, delivered, drops, settle };
}

describe('inlet: frames before their turn', () => {
  it('hands on in counter order whatever order the messages came in', async () => {
    const t = inlet();
    for (const c of [5, 3, 0, 1, 2, 4, 6]) t.it.arrived(frame(c));
    await t.settle();
    expect(t.delivered).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(t.drops).toEqual([]);
  });

  it('keeps at most MAX_HELD_FRAMES early frames and drops the rest as out of order, reported one by one', async () => {
    const t = inlet();
    for (let c = 1; c <= MAX_HELD_FRAMES + 3; c++) t.it.arrived(frame(c));
    await t.settle();
    expect(t.drops).toEqual(['out-of-order', 'out-of-order', 'out-of-order']);
    t.it.arrived(frame(0));
    await t.settle();
    expect(t.delivered).toEqual(Array.from({ length: MAX_HELD_FRAMES + 1 }, (_, i) => i));
  });

  it('keeps at most MAX_HELD_BYTES of early frames', async () => {
    const t = inlet();
    const size = 4 * 1024 * 1024;
    const fit = MAX_HELD_BYTES / size;
    for (let c = 1; c <= fit + 1; c++) t.it.arrived(frame(c, size));
    await t.settle();
    expect(t.drops).toEqual(['out-of-order']);
    t.it.arrived(frame(0));
    await t.settle();
    expect(t.delivered).toEqual(Array.from({ length: fit + 1 }, (_, i) => i));
  });
});
