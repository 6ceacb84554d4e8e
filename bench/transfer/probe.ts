/** Where a browser ↔ browser transfer spends its CPU: every Chromium thread's seconds and both pages' JS profiles over one wait. */
import type { BrowserContext, Page } from '@playwright/test';
import { chromiumProcesses } from '../continuous/chromium-cpu.ts';
import { threadTicks, threadSeconds, type ThreadTicks } from '../shared/thread-cpu.ts';
import { startJsProfile } from '../continuous/js-profile.ts';

async function looks(): Promise<Map<number, { kind: string; ticks: ThreadTicks }>> {
  const out = new Map<number, { kind: string; ticks: ThreadTicks }>();
  for (const p of await chromiumProcesses()) out.set(p.pid, { kind: p.kind, ticks: await threadTicks(p.pid) });
  return out;
}

/** Starts the probe; the returned function stops it and gives its report lines (`js`: also profile both pages' main threads). */
export async function startProbe(context: BrowserContext, pages: Page[], js: boolean): Promise<() => Promise<string[]>> {
  const stops = js ? await Promise.all(pages.map((page) => startJsProfile(context, page))) : [];
  const before = await looks();
  const t0 = Date.now();
  return async () => {
    const after = await looks();
    const wall = (Date.now() - t0) / 1000;
    const lines = [`wall ${wall.toFixed(2)} s`];
    for (const [pid, { kind, ticks }] of after) {
      const rows = threadSeconds(before.get(pid)?.ticks ?? new Map(), ticks).filter(([, s]) => s >= 0.05);
      const total = rows.reduce((s, [, v]) => s + v, 0);
      if (total >= 0.1) lines.push(`${kind} ${pid}: ${total.toFixed(2)} s (${rows.map(([n, s]) => `${n} ${s.toFixed(2)}`).join(', ')})`);
    }
    for (const [i, stop] of stops.entries()) lines.push(`page ${'AB'[i]} JS:`, ...(await stop(25)));
    return lines;
  };
}
