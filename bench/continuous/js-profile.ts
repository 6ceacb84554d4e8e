/** A CPU profile of a page's main thread over a wait (CDP Profiler), summed by function: where its idle time goes. */
import type { BrowserContext, Page } from '@playwright/test';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Starts profiling `page`; the returned function stops and gives the top `n` functions by self time (ms). */
export async function startJsProfile(context: BrowserContext, page: Page): Promise<(n?: number) => Promise<string[]>> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  return async (n = 15) => {
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[] } };
    await cdp.detach();
    const perSample = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length);
    const self = new Map<string, number>();
    for (const node of profile.nodes) {
      const f = node.callFrame;
      const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + (node.hitCount ?? 0) * perSample);
    }
    const total = [...self].filter(([k]) => !k.startsWith('(idle)') && !k.startsWith('(program)')).reduce((s, [, v]) => s + v, 0);
    return [
      `wall ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s, JS+GC self ${total.toFixed(0)} ms`,
      ...[...self].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `  ${v.toFixed(1)} ms ${k}`),
    ];
  };
}
