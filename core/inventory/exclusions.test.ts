import { describe, expect, it } from 'vitest';
import { createExcluder, isExcluded } from './exclusions.ts';

describe('isExcluded', () => {
  it.each([
    ['.quintet', 'directory', true, true],
    ['.quintet', 'directory', false, true], // at any depth: a nested source keeps its own
    ['.Quintet', 'directory', true, true], // case-insensitively: a peer on a case-sensitive disk must not reach ours
    ['.QUINTET', 'file', true, true],
    ['.quintet.', 'directory', true, true], // Windows strips trailing dots
    ['quintet', 'directory', true, false],
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

describe('createExcluder', () => {
  const base = { excludeHidden: false, excludeSystem: true, exclusionPatterns: [] as string[], caseSensitive: true };
  it.each([
    // [settings, path, kind, excluded]
    [base, '.quintet', 'directory', true],
    [{ ...base, excludeSystem: false }, '.quintet', 'directory', true], // Quintet's own folder always
    [{ ...base, excludeSystem: false }, 'a.crswap', 'file', true], // swap files always
    [{ ...base, excludeSystem: false }, 'd/Thumbs.db', 'file', false],
    [base, 'd/Thumbs.db', 'file', true],
    [base, '.env', 'file', false],
    [{ ...base, excludeHidden: true }, '.env', 'file', true],
    [{ ...base, excludeHidden: true }, 'd/.git', 'directory', true],
    [{ ...base, exclusionPatterns: ['*.log'] }, 'd/x.log', 'file', true],
    [{ ...base, exclusionPatterns: ['*.log'] }, 'd/x.LOG', 'file', false],
    [{ ...base, caseSensitive: false, exclusionPatterns: ['*.log'] }, 'd/x.LOG', 'file', true],
    [{ ...base, exclusionPatterns: ['build/'] }, 'a/build', 'directory', true],
    [{ ...base, exclusionPatterns: ['build/'] }, 'a/build', 'file', false],
    [{ ...base, exclusionPatterns: ['/build'] }, 'a/build', 'directory', false],
    [{ ...base, exclusionPatterns: ['', '   '] }, 'a', 'file', false],
  ] as const)('%j %s (%s) → %s', (settings, path, kind, excluded) => {
    const name = path.slice(path.lastIndexOf('/') + 1);
    expect(createExcluder({ ...settings, exclusionPatterns: [...settings.exclusionPatterns] })(path, name, kind)).toBe(excluded);
  });
});
