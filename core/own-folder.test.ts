import { describe, expect, it } from 'vitest';
import { foldName, isPeerPath, namesOwnFolder, touchesOwnFolder } from './own-folder.ts';

describe('own folder', () => {
  it.each([
    '.quintet', '.QUINTET', '.Quintet', '.quıntet', '.qu\u0130ntet', '\uff0e\uff51\uff55\uff49\uff4e\uff54\uff45\uff54',
    '.quin\u200ctet', '.quinte\u0301t', '.quintet.', '.quintet . ', '.quintet::$INDEX_ALLOCATION', '.quintet:x', 'QUINTE~1', 'quinte~12',
  ])('%j may be Quintet\'s folder somewhere', (name) => {
    expect(namesOwnFolder(name)).toBe(true);
  });

  it.each(['quintet', '.quintets', '..quintet', '.quin-tet', 'QUINTE~', 'QUINTE~1.TXT', 'x.quintet', '.quintet~2'])('%j is an ordinary name', (name) => {
    expect(namesOwnFolder(name)).toBe(false);
  });

  it('folds without quadratic work on a long run of dots', () => {
    expect(foldName(`${'.'.repeat(4000)}x`)).toBe(`${'.'.repeat(4000)}x`);
  });

  it('refuses a peer path naming the folder at any depth, and invalid, root or over-long paths', () => {
    expect(touchesOwnFolder('a/.QUINTET/versions/x')).toBe(true);
    expect(isPeerPath('.Quintet/versions/r/report.txt')).toBe(false);
    expect(isPeerPath('sub/.quintet')).toBe(false);
    expect(isPeerPath('')).toBe(false);
    expect(isPeerPath('a/../b')).toBe(false);
    expect(isPeerPath('a'.repeat(4097))).toBe(false);
    expect(isPeerPath('a/b/quintet.txt')).toBe(true);
  });
});
