/** Two CloudMembers over the in-memory mesh for continuous tests: A's folder seeded, B's empty, both connected with one source each. */
import { until } from '../../signaling/testing/cloud-members.ts';
import { MemFs } from '../testing/memfs.ts';
import { CloudMember, type CloudMemberPorts } from '../cloud/member.ts';

/** `ports(name)`: each member's ports; `bFeatures`: the features B's profile announces instead of its own (an older member). */
export async function memberPair(ports: (name: string) => CloudMemberPorts, tree: Parameters<typeof MemFs.from>[0], bFeatures?: readonly string[]) {
  const a = MemFs.from(tree, { name: 'A' });
  const b = new MemFs({ name: 'B' });
  const A = await CloudMember.start(ports('A'));
  const bPorts = ports('B');
  const B = await CloudMember.join(bFeatures ? { ...bPorts, deps: { ...bPorts.deps, features: bFeatures } } : bPorts, { sessionId: A.session.sessionId, password: A.session.password });
  A.setSources([{ source: a, id: 'src-a' }]);
  B.setSources([{ source: b, id: 'src-b' }]);
  return { a, b, A, B, connected: () => until(() => [A, B].every((m) => m.session.members.length === 2 && m.session.members.every((x) => x.connected && x.sources.length === 1))) };
}
