/** Which code a run measured: the commit, and the app directories with uncommitted changes (the build takes the working tree). */
import { execFileSync } from 'node:child_process';

const APP_DIRS = ['core', 'adapters', 'web', 'workers', 'signaling'];

export function provenance(repo: string): { commit: string; dirty: string } {
  const git = (args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
  const changed = git(['status', '--porcelain', '--', ...APP_DIRS]).split('\n').filter(Boolean);
  const dirs = [...new Set(changed.map((line) => line.slice(3).split('/')[0]!))];
  return { commit: git(['rev-parse', '--short', 'HEAD']), dirty: dirs.map((d) => `\`${d}/\` (${changed.filter((l) => l.slice(3).startsWith(`${d}/`)).length} files)`).join(', ') };
}
