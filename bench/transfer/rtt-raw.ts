/**
 * The raw single channel as a yardstick over a lossy path (bench/transfer/rtt.ts): one run can lose early and crawl
 * (1.3 against 4.7–5.9 MB/s at 40 ms in the same week), so several runs are made and their median is held against
 * Quintet, not one run, not the best.
 */

/** The median of `values` (the mean of the middle two for an even count); NaN when there are none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A ratio held against a target: `met` when `ok` says so, `NOT met` otherwise, `not measured` without a value. */
export function verdict(value: number | null, ok: (v: number) => boolean): 'met' | '**NOT met**' | 'not measured' {
  if (value === null || !Number.isFinite(value)) return 'not measured';
  return ok(value) ? 'met' : '**NOT met**';
}
