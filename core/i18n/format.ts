/** Formats messages, numbers, plurals, sizes, durations and dates through the platform's Intl APIs (pure: the page and the `quintet` command share it). */

export type Params = Record<string, string | number>;

// Intl objects are costly to build and the table re-renders often: one per language and option set.
const cache = new Map<string, Intl.NumberFormat | Intl.PluralRules | Intl.DateTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.PluralRules | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let made = cache.get(key) as T | undefined;
  if (!made) cache.set(key, (made = make()));
  return made;
}

/** 12,345 / 12 345 (grouping and decimal marks of the language). */
export function formatNumber(lang: string, n: number, maximumFractionDigits = 1): string {
  return cached(`n:${lang}:${maximumFractionDigits}`, () => new Intl.NumberFormat(lang, { maximumFractionDigits })).format(n);
}

function unit(lang: string, n: number, name: string, display: 'short' | 'long', digits: number): string {
  return cached(`u:${lang}:${name}:${display}:${digits}`, () => new Intl.NumberFormat(lang, { style: 'unit', unit: name, unitDisplay: display, maximumFractionDigits: digits })).format(n);
}

const SIZE_UNITS = ['kilobyte', 'megabyte', 'gigabyte', 'terabyte', 'petabyte'];

/** Scales bytes to the largest decimal unit under 1000 (like Chrome's downloads page). */
function scaled(n: number): { value: number; unit: string | null } {
  if (Math.abs(n) < 1000) return { value: n, unit: null };
  let value = n;
  let i = -1;
  while (Math.abs(value) >= 1000 && i < SIZE_UNITS.length - 1) {
    value /= 1000;
    i++;
  }
  return { value, unit: SIZE_UNITS[i] ?? null };
}

/** Sizes for people: "12 bytes", "1 byte", "31.5 MB"; in French "12 octets", "31,5 Mo". */
export function formatBytes(lang: string, n: number): string {
  const s = scaled(n);
  // Below a kilobyte the short English unit reads "12 byte": the long form is plural-aware in both languages.
  return s.unit ? unit(lang, s.value, s.unit, 'short', 1) : unit(lang, s.value, 'byte', 'long', 0);
}

/** A transfer rate: "2.4 MB/s", "2,4 Mo/s". */
export function formatRate(lang: string, bytesPerSecond: number): string {
  const s = scaled(bytesPerSecond);
  return unit(lang, s.value, `${s.unit ?? 'byte'}-per-second`, 'short', s.unit ? 1 : 0);
}

/** A duration in seconds: "1.8 sec" / "1,8 s" under a minute, then "2 min 5 sec", then "1 hr 3 min". */
export function formatDuration(lang: string, seconds: number): string {
  if (seconds < 60) return unit(lang, seconds, 'second', 'short', seconds < 10 ? 1 : 0);
  const whole = Math.round(seconds);
  if (whole < 3600) {
    const s = whole % 60;
    const m = unit(lang, Math.floor(whole / 60), 'minute', 'short', 0);
    return s ? `${m} ${unit(lang, s, 'second', 'short', 0)}` : m;
  }
  const m = Math.floor((whole % 3600) / 60);
  const h = unit(lang, Math.floor(whole / 3600), 'hour', 'short', 0);
  return m ? `${h} ${unit(lang, m, 'minute', 'short', 0)}` : h;
}

/** A date and time in the language's order: "Mar 4, 2025, 2:05 PM" / "4 mars 2025, 14:05". */
export function formatDate(lang: string, ms: number): string {
  return cached(`d:${lang}`, () => new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' })).format(ms);
}

/** A date and time in a grid cell, where width counts: "12/1/26, 1:50 AM" / "01/12/2026 01:50" (formatDate in its title). */
export function formatShortDate(lang: string, ms: number): string {
  return cached(`ds:${lang}`, () => new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short' })).format(ms);
}

/** The plural category of n in the language ("one", "other"; French puts 0 and 1 in "one"). */
export function pluralOf(lang: string, n: number): Intl.LDMLPluralRule {
  return cached(`p:${lang}`, () => new Intl.PluralRules(lang)).select(n);
}

/** Index of the brace closing the one at `open`, or -1. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** The branches of a plural placeholder: ` one {# file} other {# files}` → {one: '# file', other: '# files'}. */
function branches(text: string): Map<string, string> {
  const found = new Map<string, string>();
  const selector = /\s*(=\d+|zero|one|two|few|many|other)\s*\{/y;
  let i = 0;
  for (;;) {
    selector.lastIndex = i;
    const m = selector.exec(text);
    if (!m) return found;
    const open = selector.lastIndex - 1;
    const close = closing(text, open);
    if (close < 0) return found;
    found.set(m[1] ?? 'other', text.slice(open + 1, close));
    i = close + 1;
  }
}

function placeholder(lang: string, body: string, params: Params): string {
  const plural = /^\s*(\w+)\s*,\s*plural\s*,([\s\S]*)$/.exec(body);
  if (!plural) {
    const value = params[body];
    if (value === undefined) return `{${body}}`;
    return typeof value === 'number' ? formatNumber(lang, value) : value;
  }
  const [, name = '', rest = ''] = plural;
  const n = Number(params[name]);
  const options = branches(rest);
  const chosen = options.get(`=${n}`) ?? options.get(pluralOf(lang, n)) ?? options.get('other') ?? '';
  return formatMessage(lang, chosen.replaceAll('#', formatNumber(lang, n)), params);
}

/**
 * Fills a message: `{name}` takes a parameter (numbers formatted for the language), and
 * `{name, plural, one {# file} other {# files}}` picks the branch Intl.PluralRules names (`=0` exact matches first).
 */
export function formatMessage(lang: string, template: string, params: Params = {}): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    const close = open < 0 ? -1 : closing(template, open);
    if (close < 0) return out + template.slice(i);
    out += template.slice(i, open) + placeholder(lang, template.slice(open + 1, close), params);
    i = close + 1;
  }
  return out;
}

/** The parameter names a message uses, plural selectors included (for the translation test). */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(/\{(\w+)(?=[},])/g)].map((m) => m[1] ?? ''))].sort();
}

/**
 * French typography for a text written with ordinary spaces: a no-break space (U+00A0) before « : » and inside
 * « guillemets », a narrow one (U+202F) before ; ! ?, so a terminal or a mail never wraps a line before the mark.
 * Catalogs stay readable in source (no invisible characters to type); a mark with no space before it (HH:MM, a URL)
 * is left as it is.
 */
export function frenchSpacing(text: string): string {
  return text
    .replace(/ +:/g, '\u00a0:')
    .replace(/ +([;!?])/g, '\u202f$1')
    .replace(/« +/g, '«\u00a0')
    .replace(/ +»/g, '\u00a0»');
}

/** Every text of a French catalog through frenchSpacing. */
export function frenchSpaced<T extends Record<string, string>>(table: T): T {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [k, frenchSpacing(v)])) as T;
}
