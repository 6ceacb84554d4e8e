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

interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
  /** The thread's CPU time in the event: what a loaded machine's waiting does not inflate. */
  tdur?: number;
  tid: number;
  pid: number;
  args?: { data?: { frame?: string } };
}

/**
 * A Chromium trace (devtools.timeline) around one step, summed by event name over the renderer's main thread
 * (complete events, outermost only per name): layout, style, paint, pre-paint, layerize, script… per frame of `frames`.
 */
export async function traced<T>(page: Page, label: string, frames: number, step: () => Promise<T>, top = 16): Promise<T> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => void events.push(...(e.value as unknown as TraceEvent[])));
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] }, transferMode: 'ReportEvents' } as never);
  const out = await step();
  await cdp.send('Tracing.end');
  await done;
  await cdp.detach();
  // The renderer's main thread: the one that ran the most 'RunTask' time among threads with Layout events.
  const mainThreads = new Set(events.filter((e) => e.name === 'Layout' || e.name === 'UpdateLayoutTree').map((e) => `${e.pid}:${e.tid}`));
  const sum = new Map<string, { wall: number; cpu: number }>();
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined || !mainThreads.has(`${e.pid}:${e.tid}`)) continue;
    const s = sum.get(e.name) ?? { wall: 0, cpu: 0 };
    s.wall += e.dur / 1000;
    s.cpu += (e.tdur ?? 0) / 1000;
    sum.set(e.name, s);
  }
  console.log(`trace of ${label} (main thread, ms per frame over ${frames} frames, wall then CPU; nested events counted in their own line too):`);
  for (const [name, t] of [...sum].sort((a, b) => b[1].cpu - a[1].cpu).slice(0, top)) console.log(`  ${(t.wall / frames).toFixed(2).padStart(8)} ${(t.cpu / frames).toFixed(2).padStart(8)}  ${name}`);
  return out;
}
