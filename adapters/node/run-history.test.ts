import { describe, expect, it } from 'vitest';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { homedir } from 'node:os';
import type { RunRecord } from '../../core/unattended/run-record.ts';
import { FileRunHistory, quintetHome } from './run-history.ts';
import { tempDir } from './temp-tree.ts';

const record = (id: string, status: RunRecord['status'] = 'ok'): RunRecord => ({
  id, profile: 'p', kind: 'local', start: '2026-01-01T00:00:00.000Z', end: '2026-01-01T00:00:01.000Z', durationMs: 1000, status,
  present: [], missing: [], counts: { planned: 0, done: 0, failed: 0, skipped: 0, byAction: {} }, perMember: [], bytes: 0, errors: [],
});

describe('FileRunHistory', () => {
  it('keeps one file per run, lists newest first (with a limit), gets by id, and a second append replaces', async () => {
    const history = new FileRunHistory(await tempDir('quintet-home-'));
    expect(await history.list()).toEqual([]);
    await history.append(record('2026-01-02T00-00-00.000Z-aaaa'));
    await history.append(record('2026-01-03T00-00-00.000Z-bbbb'));
    await history.append(record('2026-01-01T00-00-00.000Z-cccc'));
    await history.append({ ...record('2026-01-02T00-00-00.000Z-aaaa', 'partial'), message: 'webhook failed' });
    expect((await history.list()).map((r) => r.id)).toEqual(['2026-01-03T00-00-00.000Z-bbbb', '2026-01-02T00-00-00.000Z-aaaa', '2026-01-01T00-00-00.000Z-cccc']);
    expect((await history.list(1)).map((r) => r.id)).toEqual(['2026-01-03T00-00-00.000Z-bbbb']);
    expect(await history.get('2026-01-02T00-00-00.000Z-aaaa')).toMatchObject({ status: 'partial', message: 'webhook failed' });
    expect(await history.get('nope')).toBeUndefined();
    // No temporary file is left behind.
    expect((await readdir(history.dir)).sort()).toEqual(['2026-01-01T00-00-00.000Z-cccc.json', '2026-01-02T00-00-00.000Z-aaaa.json', '2026-01-03T00-00-00.000Z-bbbb.json']);
  });

  it('names a file it cannot read instead of dropping it silently, and refuses an id that is not a plain file name', async () => {
    const history = new FileRunHistory(await tempDir('quintet-home-'));
    await history.append(record('2026-01-02T00-00-00.000Z-aaaa'));
    await writeFile(join(history.dir, '2026-01-05T00-00-00.000Z-torn.json'), '{"id":');
    expect((await history.list()).map((r) => r.id)).toEqual(['2026-01-02T00-00-00.000Z-aaaa']);
    expect(history.unreadable).toEqual([join(history.dir, '2026-01-05T00-00-00.000Z-torn.json')]);
    await expect(history.append(record('../escape'))).rejects.toThrow(/cannot be a file name/);
    expect(await history.get('../escape')).toBeUndefined();
  });

  it('lives in $QUINTET_HOME, else the state folder', () => {
    expect(quintetHome({ QUINTET_HOME: '/srv/q' })).toBe('/srv/q');
    expect(quintetHome({ XDG_STATE_HOME: '/x/state' })).toBe('/x/state/quintet');
    expect(quintetHome({})).toBe(join(homedir(), '.local', 'state', 'quintet'));
  });
});
