import { describe, expect, it } from 'vitest';
import { textDiff } from './text-diff.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('conflict text diff', () => {
  it('marks lines only in this copy as added and lines only in the original as removed', () => {
    const d = textDiff(utf8('one\ntwo, mine\nthree\n'), utf8('one\ntwo\nthree\n'));
    expect(d).toEqual({ kind: 'diff', parts: [
      { value: 'one\n', added: false, removed: false },
      { value: 'two\n', added: false, removed: true },
      { value: 'two, mine\n', added: true, removed: false },
      { value: 'three\n', added: false, removed: false },
    ] });
  });

  it('says same text, and refuses binary or non-UTF-8 content', () => {
    expect(textDiff(utf8('a'), utf8('a'))).toEqual({ kind: 'same' });
    expect(textDiff(new Uint8Array([0, 1, 2]), utf8('a'))).toEqual({ kind: 'binary' });
    expect(textDiff(utf8('a'), new Uint8Array([0xff, 0xfe, 0x41]))).toEqual({ kind: 'binary' });
  });
});
