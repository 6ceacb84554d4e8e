/** The UI's language (from navigator.language, switchable) and `t()` with {placeholders}; English and French. */
import { en, type MessageKey } from './en.ts';
import { fr } from './fr.ts';

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

  t = (key: MessageKey, params: Record<string, string | number> = {}): string =>
    dictionaries[this.lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));

  /** Bytes for people: 1.5 MB, 12 kB (decimal units, like Chrome's downloads page). */
  bytes = (n: number): string => {
    const units = this.lang === 'fr' ? ['o', 'ko', 'Mo', 'Go', 'To'] : ['B', 'kB', 'MB', 'GB', 'TB'];
    let i = 0;
    let v = n;
    while (v >= 1000 && i < units.length - 1) {
      v /= 1000;
      i++;
    }
    return `${new Intl.NumberFormat(this.lang, { maximumFractionDigits: i === 0 ? 0 : 1 }).format(v)} ${units[i]}`;
  };
}

export const i18n = new I18n();
export const t = i18n.t;
