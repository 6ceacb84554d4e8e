/** Human units for terminal lines: bytes, rates, durations, in the command's language (cli/i18n.ts). */
import { language, msg } from './i18n.ts';

// Binary units as before in English; French writes octets (Kio, Mio …) and a decimal comma.
const UNITS = { en: ['B', 'KiB', 'MiB', 'GiB', 'TiB'], fr: ['o', 'Kio', 'Mio', 'Gio', 'Tio'] };

/** A decimal in the language: "1.5" / "1,5". */
const decimal = (value: number, digits: number): string => {
  const text = value.toFixed(digits);
  return language() === 'fr' ? text.replace('.', ',') : text;
};

/** 1536 → "1.5 KiB" ("1,5 Kio"). */
export function formatBytes(n: number): string {
  const units = UNITS[language()];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} ${units[0]}` : `${decimal(value, value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Bytes per second → "12 MiB/s". */
export const formatRate = (bytesPerSecond: number): string => `${formatBytes(Math.round(bytesPerSecond))}/s`;

/** Milliseconds → "0.4 s", "2 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${decimal(ms / 1000, ms < 10_000 ? 1 : 0)} s`;
  const s = Math.round(ms / 1000);
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Up to `max` lines, then "… and N more". */
export function capped(lines: string[], max = 50): string[] {
  return lines.length <= max ? lines : [...lines.slice(0, max), msg('format.more', { count: lines.length - max })];
}
