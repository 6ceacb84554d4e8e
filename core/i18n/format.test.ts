/** Intl formatting: French reads "1 fichier", "31,5 Mo", "en 1,8 s"; English keeps its own marks and plurals. */
import { describe, expect, it } from 'vitest';
import { formatBytes, formatDate, formatDuration, formatShortDate, formatMessage, formatNumber, formatRate, frenchSpaced, frenchSpacing, placeholdersOf } from './format.ts';

// Intl separates French groups and units with (narrow) no-break spaces: compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('formatMessage', () => {
  const files = '{n, plural, one {# fichier} other {# fichiers}}';

  it('chooses the plural branch Intl.PluralRules names for each language', () => {
    expect(formatMessage('fr', files, { n: 1 })).toBe('1 fichier');
    expect(formatMessage('fr', files, { n: 0 })).toBe('0 fichier');
    expect(plain(formatMessage('fr', files, { n: 1200 }))).toBe('1 200 fichiers');
    const en = '{n, plural, one {# file} other {# files}}';
    expect(formatMessage('en', en, { n: 1 })).toBe('1 file');
    expect(formatMessage('en', en, { n: 0 })).toBe('0 files');
    expect(formatMessage('en', en, { n: 12040 })).toBe('12,040 files');
  });

  it('prefers an exact =N branch and fills placeholders nested in a branch', () => {
    const text = '{n, plural, =0 {nothing on {where}} one {# item on {where}} other {# items on {where}}}';
    expect(formatMessage('en', text, { n: 0, where: 'A2' })).toBe('nothing on A2');
    expect(formatMessage('en', text, { n: 3, where: 'A2' })).toBe('3 items on A2');
  });

  it('formats number parameters and leaves text and unknown names alone', () => {
    expect(plain(formatMessage('fr', '{a} sur {b} ({c})', { a: 1234.5, b: 'x' }))).toBe('1 234,5 sur x ({c})');
  });
});

describe('sizes, rates, durations, dates', () => {
  it('writes sizes with the language’s units and decimal mark', () => {
    expect(plain(formatBytes('fr', 31_500_000))).toBe('31,5 Mo');
    expect(formatBytes('en', 31_500_000)).toBe('31.5 MB');
    expect(formatBytes('en', 1)).toBe('1 byte');
    expect(formatBytes('en', 12)).toBe('12 bytes');
    expect(plain(formatBytes('fr', 12))).toBe('12 octets');
    expect(plain(formatBytes('fr', 1500))).toBe('1,5 ko');
    expect(plain(formatRate('fr', 2_400_000))).toBe('2,4 Mo/s');
  });

  it('writes durations in seconds, then minutes, then hours', () => {
    expect(plain(formatMessage('fr', 'en {s}', { s: formatDuration('fr', 1.8) }))).toBe('en 1,8 s');
    expect(plain(formatDuration('fr', 125))).toBe('2 min 5 s');
    expect(plain(formatDuration('fr', 3 * 3600 + 60))).toBe('3 h 1 min');
  });

  it('writes dates in the language’s order', () => {
    const ms = Date.UTC(2025, 2, 4, 12, 0);
    expect(formatDate('fr', ms)).toMatch(/4 mars 2025/);
    expect(formatDate('en', ms)).toMatch(/Mar 4, 2025/);
    // Short, for the grid's cells: day before month in French, month first in English.
    expect(formatShortDate('fr', ms)).toMatch(/^04\/03\/2025 \d\d:00$/);
    expect(formatShortDate('en', ms)).toMatch(/^3\/4\/25, \d{1,2}:00\s[AP]M$/);
  });

  it('groups digits', () => {
    expect(formatNumber('en', 12040)).toBe('12,040');
  });
});

describe('placeholdersOf', () => {
  it('lists plain and plural parameter names', () => {
    expect(placeholdersOf('{a} and {n, plural, one {# x of {b}} other {# xs}}')).toEqual(['a', 'b', 'n']);
  });
});

describe('frenchSpacing', () => {
  it('puts a no-break space before a colon and inside guillemets, a narrow one before ; ? !', () => {
    expect(frenchSpacing('Options : « x » ; vraiment ? oui !')).toBe('Options\u00a0: «\u00a0x\u00a0»\u202f; vraiment\u202f? oui\u202f!');
    expect(frenchSpacing('Profil :    {p}')).toBe('Profil\u00a0:    {p}'); // aligned columns keep their width
  });

  it('leaves a mark with no space before it alone (a time, a URL, an English line)', () => {
    expect(frenchSpacing('--at HH:MM https://example.org/?a=1 Usage: x')).toBe('--at HH:MM https://example.org/?a=1 Usage: x');
  });

  it('spaces every text of a table', () => {
    expect(frenchSpaced({ a: 'a : b', b: 'c ?' })).toEqual({ a: 'a\u00a0: b', b: 'c\u202f?' });
  });
});
