/** Test helpers for commands run in-process: captured output, no terminal, an abortable "Ctrl-C", a tree snapshot. */
import { Writable } from 'node:stream';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliIo } from './io.ts';
import { tempDir } from '../adapters/node/temp-tree.ts';

export interface TestIo extends CliIo {
  lines: string[];
  errors: string[];
  controller: AbortController;
  text(): string;
}

/** An io with no terminal (plain progress, no questions) and its own state directory. */
export async function testIo(overrides: Partial<CliIo> = {}): Promise<TestIo> {
  const controller = new AbortController();
  const lines: string[] = [];
  const errors: string[] = [];
  const state = await tempDir('quintet-state-');
  return {
    lines, errors, controller,
    text: () => [...lines, ...errors].join('\n'),
    out: (line) => lines.push(line),
    err: (line) => errors.push(line),
    progressStream: new Writable({ write: (_c, _e, done) => done() }),
    interactive: false,
    confirm: async () => false,
    signal: controller.signal,
    env: { QUINTET_STATE_DIR: state },
    clock: { now: () => Date.now() },
    // No hint about this machine's UDP buffers unless a test injects a value (cli/udp-hint.test.ts).
    rmemDefault: () => undefined,
    ...overrides,
  };
}

/** What a tree holds, for equality: kind, permission bits, mtime in ms (not the root's), size and bytes of files. */
export async function treeOf(root: string, skip = new Set(['.quintet'])): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const visit = async (dir: string, rel: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      if (rel === '' && skip.has(name)) continue;
      const abs = join(dir, name);
      const path = rel === '' ? name : `${rel}/${name}`;
      const s = await lstat(abs);
      const meta = `mode=${(s.mode & 0o777).toString(8)} mtime=${Math.floor(s.mtimeMs)}`;
      if (s.isDirectory()) {
        out[path] = `dir ${meta}`;
        await visit(abs, path);
      } else out[path] = `file ${meta} size=${s.size} ${(await readFile(abs)).toString('base64').slice(0, 64)}…${(await readFile(abs)).toString('base64').slice(-16)}`;
    }
  };
  await visit(root, '');
  return out;
}
