/** UI state of a cloud run (issue 6): fed by the core CloudRun's events; the leader's plan and start. No sync logic here. */
import { CloudRun } from '../../../core/session/cloud-run.ts';
import type { CloudSession } from '../../../core/session/cloud-session.ts';
import type { RunState } from '../../../core/session/cloud-run-machine.ts';
import type { ResolvedPlan } from '../../../core/session/cloud-run-plan.ts';
import type { Comparison } from '../../../core/compare/types.ts';
import type { Plan } from '../../../core/plan/types.ts';
import type { RunProgressMessage, RunResultMessage } from '../../../core/protocol/run-messages.ts';
import type { DirSink } from '../../../core/ports.ts';
import { browserCompressor } from '../../../adapters/browser/compressor.ts';
import { clock, platformHasher, store } from './platform.ts';

export type CloudPresetKind = 'mirror' | 'update' | 'two-way';

export class CloudRunState {
  readonly run: CloudRun;
  state = $state<RunState>('idle');
  comparison = $state.raw<Comparison | null>(null);
  plan = $state.raw<Plan | null>(null);
  resolved = $state.raw<ResolvedPlan | null>(null);
  progress = $state.raw<Record<string, RunProgressMessage>>({});
  results = $state.raw<Record<string, RunResultMessage>>({});
  problems = $state.raw<string[]>([]);

  constructor(session: CloudSession) {
    this.run = new CloudRun({ session, hasher: platformHasher(), store, clock, compressor: browserCompressor });
    this.run.on('state.changed', (s) => {
      this.state = s;
      if (s === 'inventory' || s === 'idle') {
        this.plan = null;
        this.resolved = null;
        this.results = {};
        this.comparison = null;
        this.progress = {};
      }
    });
    this.run.on('comparison.ready', (c) => (this.comparison = c));
    this.run.on('progress', (member, p) => (this.progress = { ...this.progress, [member]: p }));
    // From the core's map: a quicker member's result may come in before this member resolved the plan.
    this.run.on('plan', (p) => {
      this.resolved = p;
      this.results = Object.fromEntries(this.run.results);
    });
    this.run.on('result', () => (this.results = Object.fromEntries(this.run.results)));
    this.run.on('problem', (reason) => (this.problems = [...this.problems, reason]));
  }

  setSources(sources: { source: DirSink; id: string }[]): void {
    this.run.setSources(sources);
  }

  applyPreset(kind: CloudPresetKind, from: string, to: string): void {
    this.plan = this.run.planPreset(kind === 'two-way' ? { kind } : { kind, from, to });
  }

  async synchronize(): Promise<void> {
    if (this.plan) await this.run.synchronize(this.plan);
  }

  /** Everyone's progress summed: bytes, files, rate and the time left at that rate. */
  get overall(): { files: number; filesTotal: number; bytes: number; bytesTotal: number; rate: number; secondsLeft: number } {
    const all = Object.values(this.progress).filter((p) => p.stage === 'sync');
    const sum = (f: (p: RunProgressMessage) => number) => all.reduce((n, p) => n + f(p), 0);
    const bytes = sum((p) => p.bytes);
    const bytesTotal = sum((p) => p.bytesTotal);
    const rate = sum((p) => (p.done ? 0 : p.rate));
    return { files: sum((p) => p.files), filesTotal: sum((p) => p.filesTotal), bytes, bytesTotal, rate, secondsLeft: rate > 0 ? Math.ceil((bytesTotal - bytes) / rate) : 0 };
  }
}
