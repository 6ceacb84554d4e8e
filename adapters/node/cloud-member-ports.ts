/** The Node ports for a Cloud Session member (core/cloud/member.ts): node:crypto, `ws` signaling, @roamhq/wrtc, worker threads. */
import { platform } from 'node:os';
import type { TargetTraits } from '../../core/names/names.ts';
import type { CloudMemberPorts } from '../../core/cloud/member.ts';
import { nodeCloudPlatform, type NodeCloudOptions } from './cloud-deps.ts';
import type { FileStore } from './file-store.ts';

/** What this machine's file systems refuse, as far as the platform tells (the leader's plans are checked against it). */
export function nodeTargetTraits(): TargetTraits {
  const p = platform();
  return { caseInsensitive: p === 'darwin' || p === 'win32', windows: p === 'win32' };
}

export interface NodeMemberOptions extends NodeCloudOptions {
  /** Where the store keeps two-way bases and the indexes of folders that cannot hold their own (defaultStateDir()). */
  stateDir?: string;
}

/** A Node member's ports, the store (to place each source's index in its folder) and `dispose()` for the hash workers. */
export interface NodeMemberPorts {
  ports: CloudMemberPorts;
  store: FileStore;
  dispose(): Promise<void>;
}

/** The Node twin of the browser's `browserMemberPorts` (adapters/browser/cloud-member-ports.ts). */
export function nodeMemberPorts(options: NodeMemberOptions): NodeMemberPorts {
  const platformPorts = nodeCloudPlatform(options);
  return {
    ports: {
      deps: platformPorts.deps,
      hasher: platformPorts.hasher,
      store: platformPorts.store,
      compressor: platformPorts.compressor,
      // No blobDecoder: peers' inventories and plans are inflated in this thread (no page to keep responsive).
      targetTraits: nodeTargetTraits(),
    },
    store: platformPorts.store,
    dispose: platformPorts.dispose,
  };
}
