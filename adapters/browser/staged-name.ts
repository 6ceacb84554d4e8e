/**
 * The name a file gets in `.quintet/tmp/` while it is written: a unique stem with the final name's extension.
 * Why the extension: on real disk Chrome checks some file types (unknown ones, no extension, `.part`, `.zip`,
 * `.exe` …) when a writable is closed, and again when `move()` changes the extension; each check can stall for
 * about 5 s (measured: about 1 in 10 checks, so 0.5 s per file on average). `.txt`, `.jpg` … are never checked.
 * Closing under the final type and moving to the same extension makes Chrome check each file at most once, exactly
 * as if it had been written in place, and never for the common types (a fixed `.part` made every file pay twice).
 */

/** Longest extension carried over (a longer one would make the staged name long; such files just pay the move check). */
const MAX_EXTENSION = 16;

/** The final extension as Chrome reads it (from the last dot, dot included), or '' when it has none. */
export function extensionOf(name: string): string {
  const at = name.lastIndexOf('.');
  return at < 0 || at === name.length - 1 ? '' : name.slice(at);
}

/**
 * `stem` plus the extension of `finalName`. A name without an extension is staged as `.txt`, a type Chrome does
 * not check on close, so only the move into place (which Chrome checks for every extension-less name) pays.
 */
export function stagedName(stem: string, finalName: string): string {
  const ext = extensionOf(finalName);
  return `${stem}${ext && ext.length <= MAX_EXTENSION ? ext : '.txt'}`;
}
