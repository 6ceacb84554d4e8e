import { describe, expect, it } from 'vitest';
import { joinParts, partsLength, Scratch, wholePart, writeParts } from './parts.ts';

const bytes = (...xs: number[]) => Uint8Array.from(xs);

describe('parts', () => {
  it('measures, writes and joins parts in order', () => {
    const parts = [bytes(1, 2), bytes(), bytes(3, 4, 5)];
    expect(partsLength(parts)).toBe(5);
    expect(partsLength(bytes(9, 9))).toBe(2);
    const out = new Uint8Array(7);
    expect(writeParts(parts, out, 1)).toBe(6);
    expect([...out]).toEqual([0, 1, 2, 3, 4, 5, 0]);
    expect([...joinParts(parts)]).toEqual([1, 2, 3, 4, 5]);
  });

  it('takes views that lie side by side in one buffer as one, without a copy', () => {
    const all = bytes(1, 2, 3, 4, 5, 6);
    const whole = wholePart([all.subarray(1, 3), all.subarray(3, 5)])!;
    expect([...whole]).toEqual([2, 3, 4, 5]);
    expect(whole.buffer).toBe(all.buffer);
    expect(joinParts([all.subarray(1, 3), all.subarray(3, 5)]).buffer).toBe(all.buffer);
    expect(wholePart([all.subarray(0, 2), all.subarray(3, 5)])).toBeNull(); // a gap
    expect(wholePart([bytes(1), bytes(2)])).toBeNull(); // two buffers
    expect(joinParts([bytes(1), bytes(2)]).buffer).not.toBe(all.buffer);
  });

  it('joins into one buffer reused from call to call, grown when too small', () => {
    const scratch = new Scratch();
    const first = scratch.join([bytes(1, 2), bytes(3)]);
    expect([...first]).toEqual([1, 2, 3]);
    const second = scratch.join([bytes(7), bytes(8)]);
    expect([...second]).toEqual([7, 8]);
    expect(second.buffer).toBe(first.buffer); // the same memory: its first use is overwritten
    expect([...first]).toEqual([7, 8, 3]);
    const big = scratch.join([new Uint8Array(300 * 1024).fill(4), bytes(5)]);
    expect(big.length).toBe(300 * 1024 + 1);
    expect(big[300 * 1024]).toBe(5);
    const single = bytes(6);
    expect(scratch.join(single)).toBe(single); // one part is handed over as it is
  });
});
