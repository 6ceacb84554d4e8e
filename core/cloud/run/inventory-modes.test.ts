/** Permission bits in inventories: sent only to members whose profile says they read them (a member from before refuses them). */
import { afterEach, describe, expect, it } from 'vitest';
import { inMemoryWorld } from '../../../signaling/testing/in-memory-world.ts';
import { cloudMembers, inventoryAll, syncAll, until } from '../../../signaling/testing/cloud-members.ts';
import { MemFs } from '../../testing/memfs.ts';
import { MEMBER_FEATURES } from '../../protocol/mesh-messages.ts';
import type { CopyAction } from '../../plan/types.ts';
import type { ResolvedPlan } from './cloud-run-plan.ts';

const features = [...MEMBER_FEATURES];
afterEach(() => void (MEMBER_FEATURES as string[]).splice(0, Infinity, ...features));

/** A mirrors A1 → B1, where A's platform reports rwx bits (as a Node member's does); returns the copies B resolved. */
async function mirrorModes(): Promise<CopyAction[]> {
  const a = MemFs.from({ 'run.sh': 'echo', d: { 'f.txt': 'x' } }, { name: 'A' });
  const stat = a.stat.bind(a);
  a.stat = async (path) => ({ ...(await stat(path)), mode: path === 'run.sh' ? 0o755 : 0o640 });
  const b = new MemFs({ name: 'B' });
  const all = await cloudMembers([a, b], { world: inMemoryWorld() });
  // A learns what B reads from B's profile (sent as their channel opens): wait for it, as a leader waits for sources.
  await until(() => all[0]!.session.members.every((m) => m.self || m.name !== ''));
  const plans: ResolvedPlan[] = [];
  all[1]!.run.on('plan', (p) => plans.push(p));
  await inventoryAll(all);
  await syncAll(all, all[0]!.run.planPreset({ kind: 'mirror', from: 'A1', to: 'B1' }));
  expect(all[1]!.run.results.get(all[1]!.session.self)!.failed).toEqual([]);
  expect(b.readFile('run.sh')).toEqual(a.readFile('run.sh'));
  return (plans.at(-1)?.actions ?? []).filter((x): x is CopyAction => x?.type === 'copy');
}

describe('inventory permission bits', () => {
  it('reach a member that reads them, in the copies it resolves', async () => {
    const copies = await mirrorModes();
    expect(copies.map((c) => [c.path, c.mode]).sort()).toEqual([['d/f.txt', 0o640], ['run.sh', 0o755]]);
  });

  it('are left out for a member from before them (no `features` in its profile), which then reads the inventory as before', async () => {
    (MEMBER_FEATURES as string[]).splice(0); // every member here speaks as one from before
    const copies = await mirrorModes();
    expect(copies.map((c) => c.path).sort()).toEqual(['d/f.txt', 'run.sh']);
    expect(copies.some((c) => 'mode' in c)).toBe(false);
  });
});
