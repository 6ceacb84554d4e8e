/** Names of conflict copies: `name.conflict-<member>-<yyyymmdd-hhmmss>.ext` beside the original (docs/protocol.md §5.1). */
import { baseName, joinPath, parentPath } from '../paths.ts';
import { runIdAt } from '../transfer/run-id.ts';

/**
 * The conflict copy's path for `path` lost by `member` (a source code such as A2) at `now`.
 * The extension is what follows the last dot that is not the first character, so `.bashrc`
 * becomes `.bashrc.conflict-A2-…` and `a.tar.gz` becomes `a.tar.conflict-A2-….gz`. `taken`
 * (compared as given: fold it for case-insensitive matching) gets `-2`, `-3` … added.
 */
export function conflictPath(path: string, member: string, now: number, taken: (path: string) => boolean = () => false): string {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  const tag = `conflict-${member}-${runIdAt(now)}`;
  let candidate = joinPath(parentPath(path), `${stem}.${tag}${ext}`);
  for (let n = 2; taken(candidate); n++) candidate = joinPath(parentPath(path), `${stem}.${tag}-${n}${ext}`);
  return candidate;
}
