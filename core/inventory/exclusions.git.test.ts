/** The gitignore oracle: our excluder (the `ignore` package, walked like the inventory walks) agrees with git itself. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExcluder } from './exclusions.ts';
import { walkSource } from './walk.ts';
import { MemFs, type TreeSpec } from '../testing/memfs.ts';

const runs = Number(process.env.QUINTET_PROPERTY_RUNS ?? 40);
const NAMES = ['a', 'b', 'A', 'ab', 'x.txt', 'a.log', 'b.LOG', '.h', 'c d'];

const name = fc.constantFrom(...NAMES);
const { tree } = fc.letrec<{ tree: TreeSpec; node: string | TreeSpec }>((tie) => ({
  tree: fc.dictionary(name, tie('node'), { minKeys: 1, maxKeys: 5, depthIdentifier: 't' }),
  node: fc.oneof({ depthIdentifier: 't', maxDepth: 3 }, fc.constant('x'), tie('tree')),
}));
const segment = fc.constantFrom('a', 'b', 'A', 'ab', '*', '?', 'a*', '*.log', '*.txt', '[ab]', '.h', 'x.*', 'c d', '**');
const pattern = fc
  .tuple(fc.boolean(), fc.boolean(), fc.array(segment, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.nat(9))
  .map(([negate, anchored, segs, dirOnly, n]) => {
    if (n === 0) return '# a comment';
    const body = `${anchored ? '/' : ''}${segs.join('/')}${dirOnly ? '/' : ''}`;
    return `${negate ? '!' : ''}${body}`;
  });

function git(cwd: string, args: string[], input?: string): string {
  return execFileSync('git', args, { cwd, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] });
}

function writeReal(dir: string, spec: TreeSpec): void {
  for (const [n, v] of Object.entries(spec)) {
    if (typeof v === 'string' || v instanceof Uint8Array) writeFileSync(join(dir, n), v);
    else {
      mkdirSync(join(dir, n));
      writeReal(join(dir, n), v);
    }
  }
}

describe('exclusion patterns agree with git check-ignore', () => {
  it('on generated trees and pattern sets (case-sensitive, as git on Linux)', async () => {
    await fc.assert(
      fc.asyncProperty(tree, fc.array(pattern, { minLength: 1, maxLength: 5 }), async (spec, patterns) => {
        const exclude = createExcluder({ excludeHidden: false, excludeSystem: false, exclusionPatterns: patterns, caseSensitive: true });
        const ours = await walkSource({ source: MemFs.from(spec), exclude });
        const oursFiles = ours.entries.filter((e) => e.kind === 'file').map((e) => e.path).sort();
        const oursAll = new Set(ours.entries.map((e) => e.path));

        const dir = mkdtempSync(join(tmpdir(), 'quintet-ignore-'));
        try {
          git(dir, ['init', '-q']);
          // info/exclude holds the patterns, so no .gitignore file sits in the tree being checked.
          writeFileSync(join(dir, '.git/info/exclude'), `${patterns.join('\n')}\n`);
          writeReal(dir, spec);
          // git's own walk: every untracked file it does not ignore.
          const gitFiles = git(dir, ['-c', 'core.ignorecase=false', 'ls-files', '--others', '--exclude-standard', '-z']).split('\0').filter(Boolean).sort();
          expect(oursFiles).toEqual(gitFiles);
          // And path by path, directories too: check-ignore on each path (git stats it to know a directory; a trailing
          // slash in the query would change the name it matches), an item being kept when neither it nor any
          // parent is ignored (git never enters an ignored directory).
          const all = Object.keys(MemFs.from(spec).snapshot());
          const asked = all;
          let out = '';
          try {
            out = git(dir, ['-c', 'core.ignorecase=false', 'check-ignore', '--stdin', '-z'], asked.join('\0'));
          } catch (error) {
            out = String((error as { stdout?: string }).stdout ?? ''); // exit 1 = nothing ignored
          }
          const ignored = new Set(out.split('\0').filter(Boolean).map((p) => p.replace(/\/$/, '')));
          for (const p of all) {
            const parts = p.split('/');
            const keptByGit = parts.every((_, i) => !ignored.has(parts.slice(0, i + 1).join('/')));
            expect(oursAll.has(p), `${p} with ${JSON.stringify(patterns)}`).toBe(keptByGit);
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: runs },
    );
  }, 120_000);
});
