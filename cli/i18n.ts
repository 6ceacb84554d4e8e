/**
 * The `quintet` command's language: English or French, chosen once per command from the environment as gettext does,
 * and `msg(key, params)` to fill a message (core/i18n/format.ts does the filling, plurals included).
 * Module state, not a parameter: main() sets it from its io.env before a command runs; until then it is English, so a
 * command a test runs in-process without main() never depends on the machine's locale.
 */
import { formatMessage, type Params } from '../core/i18n/format.ts';
import { cliEn, type CliKey } from './messages.en.ts';
import { cliFr } from './messages.fr.ts';
import type { HelpKey } from './help.fr.ts';

export type CliLang = 'en' | 'fr';

let current: CliLang = 'en';

/** A locale name ("fr_FR.UTF-8", "fr", "en_GB") → its language; anything not French is English. */
const languageOfLocale = (locale: string): CliLang => (/^fr(?:[_.@-]|$)/i.test(locale) ? 'fr' : 'en');

/**
 * QUINTET_LANG=en|fr wins. Otherwise gettext's order: the locale is the first non-empty of LC_ALL, LC_MESSAGES, LANG;
 * unless it is unset, C or POSIX, LANGUAGE's first entry ("fr:en") comes before it.
 */
export function languageOf(env: Record<string, string | undefined>): CliLang {
  const forced = env.QUINTET_LANG?.trim().toLowerCase();
  if (forced === 'en' || forced === 'fr') return forced;
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  if (locale === '' || locale === 'C' || locale === 'POSIX' || locale.startsWith('C.')) return 'en';
  const first = env.LANGUAGE?.split(':').find((entry) => entry !== '');
  return languageOfLocale(first ?? locale);
}

export function setLanguage(lang: CliLang): void {
  current = lang;
}

export const language = (): CliLang => current;

/**
 * Fills a message. English writes numbers as plain digits, as it always has (scripts grep `12345 done`); French groups
 * thousands as French does (`12 345 faits`). A number that is a code, not a count, is passed as a string.
 */
export function msg(key: CliKey, params: Params = {}): string {
  const filled = current === 'en' ? Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) : params;
  return formatMessage(current, (current === 'fr' ? cliFr() : cliEn)[key], filled);
}

/** A yes to a confirmation: y/yes, and in French o/oui as well. */
export function isYes(answer: string): boolean {
  const a = answer.trim().toLowerCase();
  return a === 'y' || a === 'yes' || (current === 'fr' && (a === 'o' || a === 'oui'));
}

/** A command's --help in the command's language: `english` (the module's own text) unless French has one. */
export async function helpText(key: HelpKey, english: string): Promise<string> {
  // Loaded only for a French --help: the help texts stay out of every other start.
  return current === 'fr' ? (await import('./help.fr.ts')).helpFr[key] : english;
}
