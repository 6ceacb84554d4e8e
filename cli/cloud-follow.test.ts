import { afterEach, describe, expect, it } from 'vitest';
import { emptiedLines, hasIssues, leftOutLine, resultLines, silentSyncLine, undoLines } from './cloud-follow.ts';
import { setLanguage } from './i18n.ts';

describe('a terminal member prints each member’s outcome of the leader’s undo', () => {
  it('counts per member, lists what was left alone and why, and says when a member was busy', () => {
    const lines = undoLines('B office', {
      type: 'undo-result', v: 1, order: 'u1',
      sources: [{ code: 'B1', restored: ['r.txt', 'd.txt'], removed: ['n.txt'], leftAlone: [{ path: 's.txt', reason: 'changed' }], more: 0 }],
    });
    expect(lines).toEqual(['B office: undo — 2 put back, 1 removed, 1 left alone', '  left alone B1 s.txt — changed']);
    expect(undoLines('C', { type: 'undo-result', v: 1, order: 'u1', busy: true, sources: [] })).toEqual(['C: undo refused, a run was under way there']);
  });
});

describe('a terminal member prints each member’s targets not flushed to disk, and exits 3 for them', () => {
  const result = { type: 'run-result' as const, v: 1, run: 'r', done: [0], failed: [], skipped: [], bytes: 3, ms: 1000 };
  it('one line per target with the reason; an otherwise clean result counts as done with issues', () => {
    const unflushed = { ...result, unflushed: [{ source: 'B1', message: 'EIO: i/o error, fsync' }, { source: 'B2', message: 'EROFS' }] };
    const lines = resultLines('B nas', unflushed, null);
    expect(lines.slice(1)).toEqual([
      '  not flushed to disk (B1): EIO: i/o error, fsync',
      '  not flushed to disk (B2): EROFS',
    ]);
    expect(hasIssues(unflushed)).toBe(true);
    expect(hasIssues(result)).toBe(false);
    expect(resultLines('B nas', result, null)).toHaveLength(1);
  });
});

describe('a terminal member says which source the leader’s plan left out as emptied', () => {
  it('one line per source, worded as the leader’s own report', () => {
    const plan = { actions: [], targets: [], conflicts: [], summary: { copies: 0, overwrites: 0, directories: 0, deletions: 0, bytes: 0 }, roleRefused: [], held: [], emptied: ['C1'] };
    expect(emptiedLines(plan)).toEqual(['  C1 (root) — holds nothing, where it held files at the last run (a disk not mounted?): left out, nothing deleted on the others. Emptied on purpose? Delete on the others too']);
    expect(emptiedLines({ ...plan, emptied: [] })).toEqual([]);
  });
});

describe('a terminal member says once which source continuous rounds leave out, and when it is back', () => {
  afterEach(() => setLanguage('en'));
  it('one line per change, in English and French', () => {
    expect(leftOutLine('B1', 'unreadable')).toBe('B1 cannot be read (folder removed or moved, disk not mounted?): continuous rounds leave it out, nothing is written there');
    expect(leftOutLine('C1', 'emptied')).toMatch(/^C1 holds nothing where it held files/);
    expect(leftOutLine('B1', null)).toBe('B1 is back: continuous rounds synchronize it again');
    setLanguage('fr');
    expect(leftOutLine('B1', 'unreadable')).toMatch(/^B1 est illisible/);
    expect(leftOutLine('B1', null)).toMatch(/^B1 est de retour/);
  });
  it('a round by hand (continuous synchronization off) says why A cannot synchronize, not "continuous rounds"', () => {
    expect(leftOutLine('B1', 'emptied', false)).toBe('B1 holds nothing where it held files at the last synchronization (a disk not mounted?): Two-way leaves it out and a Mirror from it is refused, nothing is deleted on the others; with two folders only, nothing is synchronized until it is back');
    expect(leftOutLine('B1', 'unreadable', false)).toMatch(/^B1 cannot be read .*: left out, nothing is written there/);
    expect(leftOutLine('B1', null, false)).toBe('B1 is back: the next synchronization takes it in again');
    setLanguage('fr');
    expect(leftOutLine('B1', 'emptied', false)).toMatch(/^B1 ne contient plus rien .* le mode bidirectionnel le laisse de côté/);
    expect(leftOutLine('B1', null, false)).toMatch(/^B1 est de retour\s:\sla prochaine synchronisation le reprend$/); // French spaces are narrow no-break ones
  });
});

describe('a terminal member says which member a round went on without (docs/protocol.md §10.10)', () => {
  afterEach(() => setLanguage('en'));
  it('its sources left out, or its actions not confirmed, in English and French', () => {
    expect(leftOutLine('B1', 'silent')).toMatch(/^B1: its member said nothing of a round for a minute .*: continuous rounds go on without it, nothing is deleted or written because of it$/);
    expect(leftOutLine('B1', 'silent', false)).toMatch(/^B1: its member said nothing of its inventory for a minute .*: this round goes on without it/);
    expect(silentSyncLine('B office', 2)).toBe('B office sent no result and no progress for 3 minutes: the others go on without it, its 2 actions count as not confirmed (the next round looks again)');
    expect(silentSyncLine('B office', 1)).toMatch(/its 1 action counts as not confirmed/);
    setLanguage('fr');
    expect(leftOutLine('B1', 'silent')).toMatch(/^B1\s:\sson membre n’a rien dit d’un tour pendant une minute/);
    expect(silentSyncLine('B office', 2)).toMatch(/ses 2 actions comptent comme non confirmées/);
  });
});
