import { describe, expect, it } from 'vitest';
import { extensionOf, stagedName } from './staged-name.ts';

describe('staged name (finding 14: Chrome checks a file type on close and on a move that changes it)', () => {
  it('keeps the final extension, so the move into place keeps the type Chrome saw on close', () => {
    expect(stagedName('k1-0-ab', 'report.txt')).toBe('k1-0-ab.txt');
    expect(stagedName('k1-0-ab', 'setup.exe')).toBe('k1-0-ab.exe');
    expect(stagedName('k1-0-ab', 'backup.tar.gz')).toBe('k1-0-ab.gz');
    expect(stagedName('k1-0-ab', '.bashrc')).toBe('k1-0-ab.bashrc');
  });

  it('never stages as .part (checked on close, then checked again on the move)', () => {
    for (const name of ['a.txt', 'Makefile', 'b.jpg', 'c']) expect(stagedName('s', name).endsWith('.part')).toBe(false);
  });

  it('stages a name without an extension (or a very long one) as .txt, which Chrome does not check on close', () => {
    expect(stagedName('s', 'Makefile')).toBe('s.txt');
    expect(stagedName('s', 'odd.')).toBe('s.txt');
    expect(stagedName('s', `x.${'e'.repeat(40)}`)).toBe('s.txt');
  });

  it('reads the extension from the last dot', () => {
    expect(extensionOf('a.b.c')).toBe('.c');
    expect(extensionOf('none')).toBe('');
    expect(extensionOf('日本語.ファイル')).toBe('.ファイル');
  });
});
