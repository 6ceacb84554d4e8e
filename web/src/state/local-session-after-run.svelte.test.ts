import { describe, expect, it, vi } from 'vitest';
import { Emitter } from '../../../core/events.ts';
import type { LocalSession, LocalSessionEvents } from '../../../core/local/local-session-types.ts';
import type { Comparison } from '../../../core/compare/types.ts';
import type { Action, Plan } from '../../../core/plan/types.ts';
import type { RunResult } from '../../../core/transfer/types.ts';
import { DEFAULT_SETTINGS } from '../../../core/settings/settings.ts';

vi.mock('./platform.ts', () => ({ clock: { now: () => 0, after: () => () => undefined }, store: {}, platformHasher: () => ({}) }));
const { LocalSessionState } = await import('./local-session.svelte.ts');

const copy: Action = { type: 'copy', from: 'A1', target: 'A2', path: 'a.txt', targetPath: 'a.txt', size: 3, mtime: 7, hash: 'h', blockSize: 1, blocks: [], replaces: null };
const plan: Plan = { actions: [copy], refusals: [], summary: { copies: 1, overwrites: 0, bytes: 3, directories: 0, deletions: 0 } };

describe('LocalSessionState after a run', () => {
  it('shows the state the run left: the copied row identical and no plan left to run again', () => {
    const events = new Emitter<LocalSessionEvents>();
    const session = { phase: 'idle', settings: { ...DEFAULT_SETTINGS }, hasBase: false, inventories: [], sources: [], walkOf: () => null, on: events.on.bind(events), planPreset: () => plan };
    const s = new LocalSessionState(session as unknown as LocalSession);
    const comparison: Comparison = { sources: ['A1', 'A2'], rows: [{ path: 'a.txt', status: 'missing', cells: { A1: { kind: 'file', size: 3, mtime: 7, hash: 'h', group: 1 }, A2: null } }] };
    events.emit('comparison.ready', comparison);
    events.emit('phase.changed', 'compared');
    s.applyPreset('mirror', 'A1', 'A2');
    expect(s.plan).toBe(plan);
    const written = [{ target: 'A2', path: 'a.txt', size: 3, mtime: 9, blockSize: 1, blocks: [], hash: 'h' }];
    events.emit('sync.done', { applied: [copy], written, failures: [], bytesWritten: 3 } as unknown as RunResult);
    expect(s.plan).toBeNull();
    expect(s.comparison?.rows[0]).toMatchObject({ status: 'identical', cells: { A2: { mtime: 9, group: 1 } } });
    expect(comparison.rows[0]?.cells.A2).toBeNull();
  });
});
