/** A RunHistory in memory, for core tests (the CLI keeps files, the page IndexedDB). */
import type { RunHistory } from '../unattended/executor.ts';
import type { RunRecord } from '../unattended/run-record.ts';

export class MemoryRunHistory implements RunHistory {
  readonly records = new Map<string, RunRecord>();
  async append(record: RunRecord): Promise<void> {
    this.records.set(record.id, JSON.parse(JSON.stringify(record)) as RunRecord);
  }
  async list(limit?: number): Promise<RunRecord[]> {
    const all = [...this.records.values()].sort((a, b) => (a.id < b.id ? 1 : -1));
    return limit === undefined ? all : all.slice(0, limit);
  }
  async get(id: string): Promise<RunRecord | undefined> {
    return this.records.get(id);
  }
}
