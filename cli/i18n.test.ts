/** The CLI's catalog (every key in both languages, the same placeholders), the language choice, French units and answers. */
import { afterEach, describe, expect, it } from 'vitest';
import { cliEn } from './messages.en.ts';
import { cliFr } from './messages.fr.ts';
import { placeholdersOf } from '../core/i18n/format.ts';
import { isYes, languageOf, msg, setLanguage } from './i18n.ts';
import { capped, formatBytes, formatDuration } from './format.ts';
import { helpFr } from './help.fr.ts';
import { MAIN_HELP } from './main.ts';
import { LOCAL_HELP } from './local.ts';
import { REPORT_HELP } from './run-report.ts';
import { CREATE_HELP } from './create.ts';
import { JOIN_HELP } from './join.ts';
import { RUN_HELP } from './run.ts';
import { GROUP_HELP } from './group.ts';
import { RESTORE_HELP, UNDO_HELP, VERSIONS_HELP } from './versions.ts';
import { TEST_HELP } from './test-connection.ts';
import { SERVE_HELP } from './serve.ts';

afterEach(() => setLanguage('en'));

describe('the CLI catalog', () => {
  const en: Record<string, string> = cliEn;
  const fr: Record<string, string> = cliFr();

  it('has every key in both languages, none empty', () => {
    expect(Object.keys(en).filter((k) => !fr[k]?.trim())).toEqual([]);
    expect(Object.keys(fr).filter((k) => !(k in en))).toEqual([]);
  });

  it('uses the same placeholders in both languages', () => {
    expect(Object.keys(en).filter((k) => placeholdersOf(en[k] ?? '').join(',') !== placeholdersOf(fr[k] ?? '').join(','))).toEqual([]);
  });

  it('writes French apostrophes as ’', () => {
    expect(Object.entries(fr).filter(([, text]) => text.includes("'")).map(([k]) => k)).toEqual([]);
  });

  // What a terminal must not wrap apart: a no-break space before : ; ? ! and inside « » (never a plain one, never none).
  const badSpacing = (text: string) => /(?: [:;?!]|« | »|[^\s\u00a0\u202f][;?!]\s|[^\s\u00a0\u202f»](?:: |:$)|«[^\u00a0]|[^\u00a0]»)/m.test(text);

  it('spaces French punctuation as French typography does, in every message and help', () => {
    expect(Object.entries(fr).filter(([, text]) => badSpacing(text)).map(([k]) => k)).toEqual([]);
    expect(Object.entries(helpFr).filter(([, text]) => badSpacing(text)).map(([k]) => k)).toEqual([]);
    expect(badSpacing('Options :')).toBe(true);
    expect(badSpacing('Options:')).toBe(true);
    expect(badSpacing('« x »')).toBe(true);
    expect(badSpacing('Options\u00a0: --at HH:MM, http://x\u202f?')).toBe(false);
  });
});

describe('the French --help texts', () => {
  const english = {
    main: MAIN_HELP, local: LOCAL_HELP, report: REPORT_HELP, create: CREATE_HELP, join: JOIN_HELP, run: RUN_HELP, group: GROUP_HELP,
    versions: VERSIONS_HELP, restore: RESTORE_HELP, undo: UNDO_HELP, test: TEST_HELP, serve: SERVE_HELP,
  };

  it('exist for every command the main help lists', () => {
    const listed = [...MAIN_HELP.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1] ?? '').filter((name) => name !== 'help');
    expect(listed.filter((name) => !(name in helpFr))).toEqual([]);
    expect(Object.keys(helpFr).sort()).toEqual(Object.keys(english).sort());
  });
  // What a reader types must not change with the language: every option, variable, command and exit code.
  const typed = (text: string) => [...new Set(text.match(/(?<![\w-])--?[a-z][a-z-]*|\$[A-Z_]+|^ {2}[a-z]+(?= )|^ {2}\d+(?= )/gm) ?? [])].sort();

  it.each(Object.keys(english) as (keyof typeof english)[])('%s names the same options, variables, commands and exit codes', (key) => {
    expect(typed(helpFr[key])).toEqual(typed(english[key]));
  });
});

describe('the language', () => {
  it('follows QUINTET_LANG first, then LC_ALL, LC_MESSAGES, LANG, with LANGUAGE before them unless the locale is C', () => {
    expect(languageOf({})).toBe('en');
    expect(languageOf({ LANG: 'fr_FR.UTF-8' })).toBe('fr');
    expect(languageOf({ LANG: 'fr_CA' })).toBe('fr');
    expect(languageOf({ LANG: 'fr_FR.UTF-8', QUINTET_LANG: 'en' })).toBe('en');
    expect(languageOf({ LANG: 'en_US.UTF-8', QUINTET_LANG: 'fr' })).toBe('fr');
    expect(languageOf({ LANG: 'fr_FR.UTF-8', LC_MESSAGES: 'en_GB.UTF-8' })).toBe('en');
    expect(languageOf({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'en_US.UTF-8', LC_ALL: 'fr_BE.UTF-8' })).toBe('fr');
    expect(languageOf({ LANG: 'en_US.UTF-8', LANGUAGE: 'fr:en' })).toBe('fr');
    expect(languageOf({ LANG: 'fr_FR.UTF-8', LANGUAGE: 'de:fr' })).toBe('en');
    expect(languageOf({ LC_ALL: 'C', LANGUAGE: 'fr' })).toBe('en');
    expect(languageOf({ LANG: 'C.UTF-8', LANGUAGE: 'fr' })).toBe('en');
    expect(languageOf({ LANG: 'french' })).toBe('en');
    expect(languageOf({ LANG: 'fr_FR.UTF-8', QUINTET_LANG: '' })).toBe('fr');
  });

  it('fills French messages with French plurals, units and decimal commas; English ones as before', () => {
    expect(msg('local.kept', { files: 1, directories: 0 })).toBe('Kept modification times and permission bits of 1 file and 0 directories.');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    setLanguage('fr');
    expect(msg('local.kept', { files: 1, directories: 3 })).toBe('Dates de modification et droits conservés pour 1 fichier et 3 répertoires.');
    expect(formatBytes(1536)).toBe('1,5 Kio');
    expect(formatBytes(12)).toBe('12 o');
    expect(formatDuration(400)).toBe('0,4 s');
    expect(capped(['a', 'b', 'c'], 2).at(-1)).toBe('  … et 1 de plus');
    // Thousands grouped in French (a narrow no-break space), plain digits in English.
    expect(msg('report.done', { done: 12345, failed: 1000, skipped: 0, bytes: '1 o', duration: '1 s' })).toBe('Terminé\u00a0: 12\u202f345 faits, 1\u202f000 en échec, 0 ignoré, 1 o écrits en 1 s');
    setLanguage('en');
    expect(msg('report.done', { done: 12345, failed: 1000, skipped: 0, bytes: '1 B', duration: '1 s' })).toBe('Done: 12345 done, 1000 failed, 0 skipped, 1 B written in 1 s');
  });

  it('takes y/yes, and in French o/oui too', () => {
    expect(['y', 'YES', ' yes '].map(isYes)).toEqual([true, true, true]);
    expect(['o', 'oui', 'n', ''].map(isYes)).toEqual([false, false, false, false]);
    setLanguage('fr');
    expect(['o', 'Oui', 'y', 'yes', 'non', 'n', ''].map(isYes)).toEqual([true, true, true, true, false, false, false]);
  });
});
