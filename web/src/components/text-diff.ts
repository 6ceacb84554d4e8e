/** The side-by-side text diff of a conflict: line differences (the `diff` library) of two files, when both are text. */
import { diffLines } from 'diff';

/** Largest file diffed as text (either side); larger ones are only sized and dated. */
export const DIFF_LIMIT = 512 * 1024;

export type TextDiff =
  | { kind: 'binary' }
  | { kind: 'same' }
  | { kind: 'diff'; parts: Array<{ value: string; added: boolean; removed: boolean }> };

/** UTF-8 text without NUL bytes, or null (binary, or not UTF-8). */
function text(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Lines only in `mine` come `added`, lines only in `other` come `removed`, shared lines neither. */
export function textDiff(mine: Uint8Array, other: Uint8Array): TextDiff {
  const [a, b] = [text(mine), text(other)];
  if (a === null || b === null) return { kind: 'binary' };
  if (a === b) return { kind: 'same' };
  return { kind: 'diff', parts: diffLines(b, a).map((p) => ({ value: p.value, added: p.added === true, removed: p.removed === true })) };
}
