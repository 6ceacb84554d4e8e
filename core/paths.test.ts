import { describe, expect, it } from 'vitest';
import { ancestors, baseName, comparePaths, isValidPath, isWithin, joinPath, parentPath } from './paths.ts';

describe('paths', () => {
  it('joins, splits and lists ancestors', () => {
    expect(joinPath('', 'a')).toBe('a');
    expect(joinPath('a/b', 'c')).toBe('a/b/c');
    expect(parentPath('a/b/c')).toBe('a/b');
    expect(parentPath('a')).toBe('');
    expect(baseName('a/b/c')).toBe('c');
    expect(baseName('a')).toBe('a');
    expect(ancestors('a/b/c')).toEqual(['', 'a', 'a/b']);
    expect(ancestors('a')).toEqual(['']);
    expect(ancestors('')).toEqual([]);
  });

  it('tells containment by segment, not by prefix', () => {
    expect(isWithin('a/b', 'a')).toBe(true);
    expect(isWithin('a', 'a')).toBe(true);
    expect(isWithin('ab', 'a')).toBe(false);
    expect(isWithin('x', '')).toBe(true);
  });

  it.each([
    ['', true], ['a', true], ['a/b c/d', true], ['café', true],
    ['/a', false], ['a/', false], ['a//b', false], ['..', false], ['a/../b', false], ['./a', false], ['a\\b', false],
  ])('validates %j → %s', (path, ok) => {
    expect(isValidPath(path)).toBe(ok);
  });

  it('keeps NFC and NFD apart and orders by code unit', () => {
    const nfc = 'caf\u00e9';
    const nfd = 'cafe\u0301';
    expect(nfc).not.toBe(nfd);
    expect(joinPath('', nfc)).not.toBe(joinPath('', nfd));
    expect(['b', 'a/b', 'a', 'B'].sort(comparePaths)).toEqual(['B', 'a', 'a/b', 'b']);
  });
});
