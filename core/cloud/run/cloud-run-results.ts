/** A member's run-result counts only for the plan's actions it is the target of (issue 9, finding 5). */
import type { RunResultMessage } from '../../protocol/run-messages.ts';

/**
 * `result` kept to the actions whose target is a source of `letter` (its code's letter: only the owner writes there);
 * `refused` lists every other index it named, out of range included, for the caller to report.
 */
export function ownResult(result: RunResultMessage, targets: readonly string[], letter: string): { result: RunResultMessage; refused: number[] } {
  const refused: number[] = [];
  const mine = (i: number): boolean => {
    const ok = letter !== '' && i < targets.length && targets[i]?.[0] === letter;
    if (!ok) refused.push(i);
    return ok;
  };
  const done = result.done.filter(mine);
  const failed = result.failed.filter((f) => mine(f.i));
  const skipped = result.skipped.filter(mine);
  const out: RunResultMessage = { ...result, done, failed, skipped };
  // Only its own folders' permission is its to report (a code of another letter is dropped, not counted).
  if (result.denied) out.denied = result.denied.filter((code) => letter !== '' && code[0] === letter);
  if (result.retention) out.retention = result.retention.filter((r) => letter !== '' && r.source[0] === letter);
  if (result.unflushed) out.unflushed = result.unflushed.filter((u) => letter !== '' && u.source[0] === letter);
  return { result: out, refused };
}
