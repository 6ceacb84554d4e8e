import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, patternLines, validateSettings } from './settings.ts';

describe('validateSettings', () => {
  it('fills missing fields with defaults and ignores unknown keys', () => {
    expect(validateSettings({ matching: 'flat', extra: 1 })).toEqual({ ok: true, settings: { ...DEFAULT_SETTINGS, matching: 'flat' } });
    expect(validateSettings(null)).toEqual({ ok: true, settings: { ...DEFAULT_SETTINGS } });
  });
  it.each([
    [{ analysisMode: 'fast' }, 'analysisMode', 'invalid-value'],
    [{ dataType: 'links' }, 'dataType', 'invalid-value'],
    [{ matching: 'Tree' }, 'matching', 'invalid-value'],
    [{ caseSensitive: 'yes' }, 'caseSensitive', 'invalid-value'],
    [{ excludeHidden: 1 }, 'excludeHidden', 'invalid-value'],
    [{ excludeSystem: null }, 'excludeSystem', 'invalid-value'],
    [{ exclusionPatterns: 'a' }, 'exclusionPatterns', 'invalid-value'],
    [{ exclusionPatterns: Array(501).fill('a') }, 'exclusionPatterns', 'too-many-patterns'],
    [{ exclusionPatterns: ['x'.repeat(1001)] }, 'exclusionPatterns', 'pattern-too-long'],
    [{ exclusionPatterns: ['a\nb'] }, 'exclusionPatterns', 'pattern-invalid'],
  ])('%j is refused on %s (%s)', (input, field, code) => {
    expect(validateSettings(input)).toEqual({ ok: false, issues: [{ field, code }] });
  });
  it('splits a patterns box into lines', () => {
    expect(patternLines('*.log\r\nbuild/\n\n')).toEqual(['*.log', 'build/']);
    expect(patternLines('')).toEqual([]);
  });
});
