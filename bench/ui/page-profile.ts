/** A CPU profile of the page around one step, summed by function (self time): where a slow frame goes. */
import type { Page } from '@playwright/test';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Runs `step` under Chromium's sampling profiler and prints the `top` functions by self time. */
export async function profiled<T>(page: Page, label: string, step: () => Promise<T>, top = 20): Promise<T> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const out = await step();
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`profile of ${label}: ${total.toFixed(0)} ms sampled`);
  for (const [key, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${t.toFixed(1).padStart(8)} ms  ${key}`);
  await cdp.detach();
  return out;
}
