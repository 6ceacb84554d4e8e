import { describe, expect, it } from 'vitest';
import { MemFs } from '../testing/memfs.ts';
import { DEFAULT_RETENTION } from './retention.ts';
import { cleanUpTargets, retentionLine } from './retention-run.ts';

const DAY = 24 * 3600 * 1000;
const NOW = Date.UTC(2024, 5, 1);

describe('cleanUpTargets', () => {
  it('cleans each directory target, reports only where something happened, and goes on past a source it cannot read', async () => {
    // Legacy runs (no manifest): their time is the run id's. The newer one is always kept.
    const old = MemFs.from({ '.quintet': { versions: { '20230101-000000': { a: 'aaa' }, '20240530-000000': { a: 'bb' } } } });
    const clean = MemFs.from({ '.quintet': { versions: { '20240530-000000': { a: 'x' } } } });
    const broken = MemFs.from({ '.quintet': { runs: { '20240530-000000.json': '{not json' } } });
    const sinks = new Map([['A1', old], ['A2', clean], ['A3', broken], ['A4', MemFs.file('f.txt', 'x')]]);
    const reports = await cleanUpTargets(sinks, ['A4', 'A3', 'A1', 'A2', 'A1'], NOW, { ...DEFAULT_RETENTION, maxAge: 30 * DAY });
    expect(reports).toEqual([
      { source: 'A1', versions: 1, bytes: 3, failed: 0 },
      { source: 'A3', versions: 0, bytes: 0, failed: 0, error: expect.stringContaining('manifest') },
    ]);
    expect(Object.keys(old.snapshot({ under: '.quintet/versions' })).filter((p) => p.endsWith('/a'))).toEqual(['20240530-000000/a']);
    expect(retentionLine(reports[0]!)).toBe('A1: 1 version removed (3 bytes)');
  });
});
