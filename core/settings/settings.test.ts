import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, patternLines, validateSettings } from './settings.ts';
import { DEFAULT_RETENTION } from '../versions/retention.ts';

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
    [{ retention: 'keep' }, 'retention', 'invalid-value'],
    [{ retention: { perFile: 0 } }, 'retention', 'invalid-value'],
    [{ retention: { perFile: 2.5 } }, 'retention', 'invalid-value'],
    [{ retention: { maxAge: 10 } }, 'retention', 'invalid-value'],
    [{ retention: { maxBytes: -1 } }, 'retention', 'invalid-value'],
    [{ retention: { removeLastOfDeleted: 'yes' } }, 'retention', 'invalid-value'],
    [{ continuous: 'on' }, 'continuous', 'invalid-value'],
    [{ roles: { m1: 'admin' } }, 'roles', 'invalid-value'],
    [{ roles: ['send-only'] }, 'roles', 'invalid-value'],
    [{ roles: { ['x'.repeat(65)]: 'send-only' } }, 'roles', 'invalid-value'],
    [{ roles: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`m${i}`, 'send-only'])) }, 'roles', 'invalid-value'],
  ])('%j is refused on %s (%s)', (input, field, code) => {
    expect(validateSettings(input)).toEqual({ ok: false, issues: [{ field, code }] });
  });
  it('gives a peer that sends no retention (or part of one) the safe defaults', () => {
    const check = validateSettings({ matching: 'tree' });
    expect(check.ok && check.settings.retention).toEqual(DEFAULT_RETENTION);
    expect(DEFAULT_RETENTION).toMatchObject({ perFile: 20, maxBytes: null, removeLastOfDeleted: false, staggered: true });
    const partial = validateSettings({ retention: { perFile: 1, maxBytes: 5_000_000 } });
    expect(partial.ok && partial.settings.retention).toEqual({ ...DEFAULT_RETENTION, perFile: 1, maxBytes: 5_000_000 });
  });
  it('keeps continuous mode and member roles, off and empty by default', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({ continuous: false, roles: {} });
    const check = validateSettings({ continuous: true, roles: { m1: 'send-only', m2: 'receive-only', m3: 'send-receive' } });
    expect(check.ok && check.settings).toMatchObject({ continuous: true, roles: { m1: 'send-only', m2: 'receive-only', m3: 'send-receive' } });
  });
  it('splits a patterns box into lines', () => {
    expect(patternLines('*.log\r\nbuild/\n\n')).toEqual(['*.log', 'build/']);
    expect(patternLines('')).toEqual([]);
  });
});
