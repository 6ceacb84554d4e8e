/** Lists every key English has and French lacks (and the reverse), and messages whose placeholders differ: any is a failure. */
import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { fr } from './fr.ts';
import { placeholdersOf } from '../../../core/i18n/format.ts';

const enKeys = Object.keys(en);
const frKeys = Object.keys(fr);

describe('translations', () => {
  it('has no English key missing in French', () => {
    expect(enKeys.filter((k) => !(k in fr) || !(fr as Record<string, string>)[k]?.trim())).toEqual([]);
  });

  it('has no French key missing in English', () => {
    expect(frKeys.filter((k) => !(k in en))).toEqual([]);
  });

  it('uses the same placeholders in both languages', () => {
    const differing = enKeys.filter((k) => k in fr).filter((k) => {
      const a = placeholdersOf((en as Record<string, string>)[k] ?? '').join(',');
      const b = placeholdersOf((fr as Record<string, string>)[k] ?? '').join(',');
      return a !== b;
    });
    expect(differing).toEqual([]);
  });

  it('uses typographic apostrophes in both languages (’, never \')', () => {
    expect(Object.entries(fr).filter(([, text]) => text.includes("'")).map(([k]) => `fr ${k}`)).toEqual([]);
    expect(Object.entries(en).filter(([, text]) => text.includes("'")).map(([k]) => `en ${k}`)).toEqual([]);
  });

  it('French keeps its marks on the line of their word (no-break spaces before : ; ? ! and inside « »)', () => {
    const broken = Object.entries(fr).filter(([, text]) => / [:;?!»]|« /.test(text)).map(([k]) => k);
    expect(broken).toEqual([]);
    expect(Object.values(fr).some((text) => text.includes('\u00a0:'))).toBe(true);
  });
});
