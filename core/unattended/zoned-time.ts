/**
 * Wall-clock time in an IANA zone ↔ instants, through Intl.DateTimeFormat (no zone database of our own): the next
 * daily run time across midnight and daylight-saving changes.
 */

/** A time of day, 24 h. */
export interface DailyTime {
  hour: number;
  minute: number;
  second: number;
}

/** A date and time as a wall clock in some zone shows it (month 1–12). */
export interface WallTime extends DailyTime {
  year: number;
  month: number;
  day: number;
}

const DAY_MS = 86_400_000;

/** "HH:MM" or "HH:MM:SS" (24 h) → the time of day; undefined when malformed. */
export function parseClockTime(text: string): DailyTime | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/.exec(text);
  if (!m) return undefined;
  return { hour: Number(m[1]), minute: Number(m[2]), second: Number(m[3] ?? 0) };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    // h23: some engines print midnight as "24" with hour12: false.
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether the platform knows this IANA zone (Europe/Paris, UTC …). */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The machine's zone, as the platform reports it. */
export function localTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** What a wall clock in `zone` shows at `instant` (to the second). */
export function wallTimeAt(instant: number, zone: string): WallTime {
  const parts = formatter(zone).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

const asUtc = (w: WallTime) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** The zone's offset from UTC at `instant`, in ms (Paris in summer: +7 200 000). */
function offsetAt(instant: number, zone: string): number {
  return asUtc(wallTimeAt(instant, zone)) - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall clock in `zone` shows `wall`. A time repeated when clocks go back gives its first instant (a
 * daily run happens once); a time skipped when clocks go forward gives the first instant after the gap (the run is
 * late by the gap, never dropped).
 */
export function instantOf(wall: WallTime, zone: string): number {
  const target = asUtc(wall);
  // Transitions are rare: the offsets a day either side cover every offset in force near the target.
  const offsets = [...new Set([offsetAt(target - DAY_MS, zone), offsetAt(target, zone), offsetAt(target + DAY_MS, zone)])];
  const exact = offsets.map((o) => target - o).filter((t) => asUtc(wallTimeAt(t, zone)) === target);
  if (exact.length > 0) return Math.min(...exact);
  // In a gap: the transition lies between the instants the two offsets give; find it to the millisecond.
  let lo = target - Math.max(...offsets);
  let hi = target - Math.min(...offsets);
  const before = offsetAt(lo, zone);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid, zone) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The first instant at or after `after` when a wall clock in `zone` shows `time` (per instantOf's rules). */
export function nextDailyAt(after: number, time: DailyTime, zone: string): number {
  const today = wallTimeAt(after, zone);
  // Today's time has passed, or tomorrow's lies before `after` only when today was a gap's: two days ahead at most.
  for (let i = 0; i < 4; i++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + i));
    const t = instantOf({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), ...time }, zone);
    if (t >= after) return t;
  }
  throw new Error(`no ${two(time.hour)}:${two(time.minute)} in ${zone} after ${new Date(after).toISOString()}`);
}

const two = (n: number) => String(n).padStart(2, '0');

/** "2026-03-29 03:00:00 Europe/Paris": an instant as the zone's wall clock shows it, for logs and messages. */
export function formatWall(instant: number, zone: string): string {
  const w = wallTimeAt(instant, zone);
  return `${w.year}-${two(w.month)}-${two(w.day)} ${two(w.hour)}:${two(w.minute)}:${two(w.second)} ${zone}`;
}
