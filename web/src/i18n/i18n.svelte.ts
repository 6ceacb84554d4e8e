/** The UI's language (from navigator.language, switchable), `t()` with {placeholders} and plurals, and Intl formatting of numbers, sizes, durations and dates. */
import { en, type MessageKey } from './en.ts';
import { fr } from './fr.ts';
import { formatBytes, formatDate, formatShortDate, formatDuration, formatMessage, formatNumber, formatRate, type Params } from '../../../core/i18n/format.ts';

export type Lang = 'en' | 'fr';
const dictionaries: Record<Lang, Record<MessageKey, string>> = { en, fr };
const STORAGE_KEY = 'quintet.lang';

function initial(): Lang {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  if (saved === 'en' || saved === 'fr') return saved;
  return typeof navigator !== 'undefined' && navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

class I18n {
  lang = $state<Lang>(initial());

  set(lang: Lang): void {
    this.lang = lang;
    localStorage.setItem(STORAGE_KEY, lang);
    document.documentElement.lang = lang;
  }

  /** The message in the current language; number parameters are formatted, `{n, plural, one {…} other {…}}` chosen by Intl.PluralRules. */
  t = (key: MessageKey, params: Params = {}): string => formatMessage(this.lang, dictionaries[this.lang][key], params);

  /** 12,345 / 12 345. */
  number = (n: number): string => formatNumber(this.lang, n);

  /** Bytes for people: 1.5 MB, 12 kB, 31,5 Mo (decimal units, like Chrome's downloads page). */
  bytes = (n: number): string => formatBytes(this.lang, n);

  /** A rate in bytes per second: 2.4 MB/s, 2,4 Mo/s. */
  rate = (bytesPerSecond: number): string => formatRate(this.lang, bytesPerSecond);

  /** A duration given in seconds: 1.8 sec, 1,8 s, 2 min 5 s. */
  duration = (seconds: number): string => formatDuration(this.lang, seconds);

  /** A date and time (epoch milliseconds) in the language's order. */
  date = (ms: number): string => formatDate(this.lang, ms);

  /** The same, short, where width counts (the comparison grid's cells). */
  shortDate = (ms: number): string => formatShortDate(this.lang, ms);
}

export const i18n = new I18n();
export const t = i18n.t;
