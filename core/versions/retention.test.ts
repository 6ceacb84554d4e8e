import { describe, expect, it } from 'vitest';
import { MemFs } from '../testing/memfs.ts';
import { harness } from '../testing/harness.ts';
import { utf8 } from '../testing/bytes.ts';
import { DEFAULT_RETENTION, cleanUpVersions, planRetention, type RetainedVersion } from './retention.ts';
import { undoLastRun } from './undo.ts';

const NOW = Date.UTC(2024, 5, 1);
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const v = (path: string, ageMs: number, extra: Partial<RetainedVersion> = {}): RetainedVersion => ({
  run: `r${ageMs}`, path, kept: `.quintet/versions/r${ageMs}/${path}`, time: NOW - ageMs, size: 10, gone: false, ...extra,
});
const newest = v('z', 0); // the newest run: always kept
const paths = (list: RetainedVersion[]) => list.map((x) => `${x.path}@${(NOW - x.time) / MIN}`);

describe('retention (pure)', () => {
  it('staggers like Syncthing: one per 30 s in the first hour, per hour in a day, per day in a month, per week after', () => {
    const list = [newest, v('a', 1 * MIN), v('a', 1.2 * MIN), v('a', 2 * MIN), v('a', 90 * MIN), v('a', 100 * MIN), v('a', 3 * DAY), v('a', 3 * DAY + 60 * MIN), v('a', 40 * DAY), v('a', 43 * DAY)];
    expect(paths(planRetention(list, NOW))).toEqual([`a@${(43 * DAY) / MIN}`, `a@${(3 * DAY + 60 * MIN) / MIN}`, 'a@100', 'a@1.2']);
  });

  it('never removes a kept folder holding a version that stays, nor a kept path another version that stays names', () => {
    // Two processes' runs of one second share a versions folder (manifest.ts writeManifest): the newer run's version
    // of d/x.txt sits inside the older run's kept folder d; a run without a manifest walked there lists it as its own.
    const outer = v('d', 400 * DAY, { run: 'R', kept: '.quintet/versions/R/d' });
    const inner = v('d/x.txt', 0, { run: 'R-2', kept: '.quintet/versions/R/d/x.txt~2' });
    const twin = v('d/x.txt', 400 * DAY, { run: 'R', kept: '.quintet/versions/R/d/x.txt~2' });
    const alone = v('e', 400 * DAY, { run: 'R', kept: '.quintet/versions/R/e' });
    expect(planRetention([outer, inner, twin, alone], NOW)).toEqual([alone]);
  });

  it('keeps the versions of the last run with a manifest (the one undo takes back) when a newer run has none', () => {
    // A run killed mid-way left versions and no manifest; the last recorded run is older, past a short maximum age.
    const killed = v('k', 0, { action: 'unknown' });
    const last = v('a', 2 * DAY, { action: 'replaced' });
    const older = v('b', 3 * DAY, { action: 'replaced' });
    expect(planRetention([killed, last, older], NOW, { ...DEFAULT_RETENTION, maxAge: DAY })).toEqual([older]);
  });

  it('removes past the maximum age and past the count per path, newest kept', () => {
    const list = [newest, ...Array.from({ length: 5 }, (_, i) => v('a', (i + 1) * 2 * DAY)), v('b', 400 * DAY)];
    const out = planRetention(list, NOW, { ...DEFAULT_RETENTION, perFile: 3 });
    expect(paths(out)).toEqual([`b@${(400 * DAY) / MIN}`, `a@${(10 * DAY) / MIN}`, `a@${(8 * DAY) / MIN}`]);
  });

  it('never removes the last version of a deleted file unless asked, nor anything of the newest run', () => {
    const list = [newest, v('z', 2 * DAY), v('gone', 400 * DAY, { gone: true }), v('gone', 500 * DAY, { gone: true })];
    expect(paths(planRetention(list, NOW))).toEqual([`gone@${(500 * DAY) / MIN}`]);
    // Even a policy that keeps nothing keeps those two; asked, the deleted file's last version goes too.
    const none = { ...DEFAULT_RETENTION, perFile: 0, maxBytes: 0 };
    expect(paths(planRetention(list, NOW, none))).toEqual([`gone@${(500 * DAY) / MIN}`, `z@${(2 * DAY) / MIN}`]);
    expect(paths(planRetention(list, NOW, { ...none, removeLastOfDeleted: true }))).toEqual([`gone@${(500 * DAY) / MIN}`, `gone@${(400 * DAY) / MIN}`, `z@${(2 * DAY) / MIN}`]);
  });

  it('caps the total size, oldest first, within the same protections', () => {
    const list = [newest, v('a', 1 * DAY, { size: 100 }), v('b', 2 * DAY, { size: 100 }), v('c', 3 * DAY, { size: 100, gone: true })];
    expect(paths(planRetention(list, NOW, { ...DEFAULT_RETENTION, maxBytes: 150 }))).toEqual([`b@${(2 * DAY) / MIN}`, `a@${DAY / MIN}`]);
    expect(planRetention(list, NOW)).toEqual([]); // defaults: nothing this young goes
  });
});

describe('retention applied', () => {
  it('removes exactly the versions it chose (and their emptied folders), which undo then reports as gone', async () => {
    const h = harness(MemFs.from({ 'a.txt': 'a2' }), MemFs.from({ 'a.txt': 'a1', 'b.txt': 'b1' }));
    const first = await h.apply(await h.plan());
    h.clock.advance(400 * DAY);
    h.x.writeFile('a.txt', 'a3 longer'); // another size: the index would take an equal stat for unchanged
    const second = await h.apply(await h.plan());
    h.clock.advance(DAY);
    const result = await cleanUpVersions(h.y, h.clock.now());
    // a.txt of the first run is past a year; b.txt too, but it is the last version of a deleted file.
    expect(result.removed.map((x) => [x.run, x.path])).toEqual([[first.runId, 'a.txt']]);
    expect(result.failures).toEqual([]);
    expect(h.y.readFile(`.quintet/versions/${first.runId}/b.txt`)).toEqual(utf8('b1'));
    expect(h.y.readFile(`.quintet/versions/${second.runId}/a.txt`)).toEqual(utf8('a2'));
    expect(h.y.readFile(`.quintet/versions/${first.runId}/a.txt`)).toBeUndefined();
    h.clock.advance(1000);
    const undo = await undoLastRun({ sink: h.y, hasher: h.hasher, clock: h.clock, run: first.runId });
    expect(undo.leftAlone).toEqual([{ path: 'a.txt', reason: 'version-gone' }]);
    expect(undo.restored).toEqual(['b.txt']);
  });
});
