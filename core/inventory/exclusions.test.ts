import { describe, expect, it } from 'vitest';
import { isExcluded } from './exclusions.ts';

describe('isExcluded', () => {
  it.each([
    ['.quintet', 'directory', true, true],
    ['.quintet', 'directory', false, false], // only Quintet's own folder, at the root
    ['photo.jpg.crswap', 'file', false, true],
    ['.DS_Store', 'file', false, true],
    ['Thumbs.db', 'file', false, true],
    ['desktop.ini', 'file', false, true],
    ['ehthumbs.db', 'file', false, true],
    ['.Spotlight-V100', 'directory', true, true],
    ['.Trashes', 'directory', true, true],
    ['.fseventsd', 'directory', true, true],
    ['$RECYCLE.BIN', 'directory', true, true],
    ['System Volume Information', 'directory', true, true],
    ['~$report.docx', 'file', false, true],
    ['.~lock.report.odt#', 'file', false, true],
    ['report.docx', 'file', false, false],
    ['.gitignore', 'file', false, false],
    ['~notes', 'file', false, false],
  ] as const)('%s (%s, root %s) → %s', (name, kind, atRoot, excluded) => {
    expect(isExcluded(name, kind, atRoot)).toBe(excluded);
  });
});
