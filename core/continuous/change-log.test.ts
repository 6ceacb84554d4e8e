import { describe, expect, it } from 'vitest';
import { CHANGED_PATHS_MAX, ChangeLog } from './change-log.ts';

describe('ChangeLog: what a watcher named since the last inventory, per source', () => {
  it('a source not watched, or just watched, is walked whole; then its notes, taken once', () => {
    const log = new ChangeLog();
    expect(log.take('s')).toBe('all');
    log.watching('s');
    log.note('s', 'a.txt');
    expect(log.take('s')).toBe('all'); // before the watcher started: unknown
    log.note('s', 'a.txt');
    log.note('s', '/dir/b.txt/');
    log.note('s', 'a.txt');
    expect(log.take('s')).toEqual(['a.txt', 'dir/b.txt']);
    expect(log.take('s')).toEqual([]);
    log.forget('s');
    log.note('s', 'c.txt');
    expect(log.take('s')).toBe('all');
  });

  it('"somewhere", a path it cannot use, too many paths, or an inventory that did not finish: the next walk is whole', () => {
    const log = new ChangeLog();
    log.watching('s');
    log.take('s');
    for (const bad of [null, '', '../up', 'a/../b', 'x'.repeat(5000)]) {
      log.note('s', bad);
      expect(log.take('s')).toBe('all');
    }
    for (let i = 0; i < CHANGED_PATHS_MAX; i++) log.note('s', `f${i}`);
    log.note('s', 'f0');
    expect(log.take('s')).toHaveLength(CHANGED_PATHS_MAX);
    for (let i = 0; i <= CHANGED_PATHS_MAX; i++) log.note('s', `f${i}`);
    expect(log.take('s')).toBe('all');
    log.note('s', 'a.txt');
    log.spoil('s');
    expect(log.take('s')).toBe('all');
  });
});
