/**
 * When a page's daily schedule is due: whether the wall-clock time `at` (HH:MM in `timeZone`, default the browser's)
 * began within (prev, now]. The page checks every 30 s; a throttled background tab checks seldom, so every minute
 * between two checks is looked at (up to a day). A time a DST change skips does not occur that day.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

function hhmm(ms: number, timeZone: string | undefined): string {
  const key = timeZone ?? '';
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}) })));
  return f.format(ms);
}

export function crossedTime(prevMs: number, nowMs: number, at: string, timeZone?: string): boolean {
  const first = Math.floor(prevMs / 60_000) + 1;
  const last = Math.floor(nowMs / 60_000);
  for (let m = Math.max(first, last - 1440); m <= last; m++) if (hhmm(m * 60_000, timeZone) === at) return true;
  return false;
}
