/** Browser → CLI: a Chromium page leads a Cloud Session, a `quintet join` process is the other member; Mirror A1 → B1. */
import type { Page } from '@playwright/test';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnQuintet } from '../../cli/cli-process.ts';
import { chooseMirror } from '../../e2e/support/mirror-preset.ts';
import { channelBytesReceived } from './pc-stats.ts';
import { addDirectory, firstResultAt, meshed, phaseAt, recordPhases, recordResults, startSession } from './quintet-ui.ts';
import { waitPhase, type QuintetRun } from './quintet.ts';
import { hashTree } from './verify.ts';

/**
 * Page `a` (at `url`, its signaling server `server`) starts a session; the CLI joins with an empty disk folder as B1;
 * the page adds its OPFS folder `source` (already holding the corpus) as A1, inventories, mirrors A1 → B1. Time: from
 * the page's session entering `syncing` to the CLI member's result reaching the page. B1 is then compared with
 * `expected` (path → SHA-256) file by file; `channelBytes` is what the page's channels sent (the CLI has no stats).
 */
export async function browserToCli(a: Page, url: string, server: string, source: string, expected: Map<string, string>, timeoutMs: number): Promise<QuintetRun> {
  const work = await mkdtemp(join(tmpdir(), 'quintet-bench-browser-cli-'));
  const [target, state] = [join(work, 'b1'), join(work, 'state')];
  await mkdir(target, { recursive: true });
  const { id, password } = await startSession(a, url);
  const cli = spawnQuintet(['join', id, '--password', password, '--source', target, '--server', server, '--name', 'bench-cli'], { QUINTET_STATE_DIR: state });
  try {
    await meshed(a, 2);
    await a.getByRole('region', { name: 'Member B' }).getByText('B1', { exact: true }).waitFor({ timeout: 60_000 });
    await addDirectory(a, 'A', source, 'A1');
    await a.getByRole('button', { name: /^(Start inventory|Start inventory again)$/ }).click();
    await waitPhase(a, 'ready', timeoutMs);
    await chooseMirror(a, 'A1', 'B1');
    await recordPhases(a);
    await recordResults(a);
    const before = await sentBytes(a);
    await a.getByRole('dialog').getByRole('button', { name: 'Synchronize' }).click();
    const t1 = await firstResultAt(a, timeoutMs); // the CLI's result: A itself writes nothing (its own phase is done at once)
    const channelBytes = (await sentBytes(a)) - before;
    const t0 = await phaseAt(a, 'syncing');
    if (t0 === undefined) throw new Error('phase times missing');
    const result = await cli.line(/^B bench-cli \(this computer\): (\d+) done, (\d+) failed, (\d+) skipped.*$/m, 60_000);
    if (result[2] !== '0' || result[3] !== '0') throw new Error(`the CLI member did not complete: ${result[0]}`);
    const got = await hashTree(target, ['.quintet']);
    const wrong = [...expected].filter(([path, hash]) => got.get(path) !== hash).length;
    const extra = [...got.keys()].filter((path) => !expected.has(path)).length;
    if (wrong > 0 || extra > 0) throw new Error(`B1 differs from A1 after the run: ${wrong} missing or different, ${extra} extra`);
    return { seconds: (t1 - t0) / 1000, channelBytes };
  } finally {
    await cli.interrupt();
    await rm(work, { recursive: true, force: true });
  }
}

/** Bytes the page's data channels sent so far (what reached the CLI member, framing included). */
function sentBytes(page: Page): Promise<number> {
  return channelBytesReceived(page, 'bytesSent');
}
