/** The Node ports for a Cloud Session member (core/cloud/member.ts): node:crypto, `ws` signaling, @roamhq/wrtc, worker threads. */
import { platform } from 'node:os';
import type { TargetTraits } from '../../core/names/names.ts';
import type { DirSource } from '../../core/ports.ts';
import type { CloudMemberPorts } from '../../core/cloud/member.ts';
import { nodeCloudPlatform, type NodeCloudOptions } from './cloud-deps.ts';
import type { FileStore } from './file-store.ts';
import { nodeWatcher } from './fs-watcher.ts';
import { nodeObserver } from './node-observer.ts';
import { sharedWatchFolder } from './dir-watcher.ts';
import { POLL_MS } from '../../core/continuous/poll-watcher.ts';
import { nodeBlockCodec } from './block-codec.ts';
import { NodeDirSink } from './node-dir-sink.ts';

/**
 * Bytes of one file requested ahead from its owner (core's default: 2 MiB). Between two Node members the path holds
 * more than that: the owner's channel buffer (up to 4 MiB, BUFFER_HIGH) plus its read-ahead (2 MiB,
 * SERVE_BYTES_PER_PEER); with 2 MiB asked, one large file at a time left the channel half empty (a 256 MiB file went at
 * 0.5–0.65× the Node raw rate on this machine, 0.65–1.0× with 8 MiB). 16 MiB: on a path with lanes (core/mesh/lanes.ts)
 * a file's pieces ride every lane, and one lane waiting out a retransmission timeout holds some of them; with 6 MiB
 * asked per file every file then soon waited on it and the pair wrote nothing for seconds. A paced 40 ms path
 * (bench/transfer/rtt-ab.ts, 2026-12-01): 14 runs with 16 MiB (3 with the bound below) median 35 s (26–52 s), 13 with 6 MiB 45 s (33–57 s).
 * The puller never has more requests waiting at an owner than its queue takes (remote-blocks.ts), so four large
 * files at once are not answered `busy`.
 */
const NODE_WINDOW_BYTES = 16 * 1024 * 1024;

/** What this machine's file systems refuse, as far as the platform tells (the leader's plans are checked against it). */
export function nodeTargetTraits(): TargetTraits {
  const p = platform();
  return { caseInsensitive: p === 'darwin' || p === 'win32', windows: p === 'win32' };
}

export interface NodeMemberOptions extends NodeCloudOptions {
  /** Where the store keeps two-way bases and the indexes of folders that cannot hold their own (defaultStateDir()). */
  stateDir?: string;
  /**
   * Observe the member's folders between inventories (node-observer.ts): a long-lived member (`quintet create`,
   * `quintet join`) then walks only what changed in a round started by hand (docs/protocol.md §3.1). A process that
   * inventories once (`quintet run`, `quintet test`) has nothing to gain from it.
   */
  observe?: boolean;
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
  const rootOf = (source: DirSource) => (source instanceof NodeDirSink ? source.root : null);
  // The watcher and the observer watch the same folders: one set of watches between them.
  const watch = sharedWatchFolder();
  return {
    ports: {
      deps: platformPorts.deps,
      hasher: platformPorts.hasher,
      store: platformPorts.store,
      compressor: platformPorts.compressor,
      blockCodec: nodeBlockCodec,
      // No blobDecoder: peers' inventories and plans are inflated in this thread (no page to keep responsive).
      targetTraits: nodeTargetTraits(),
      windowBytes: NODE_WINDOW_BYTES,
      // Continuous synchronization (docs/protocol.md §12): fs.watch on each folder, a periodic rescan where it fails.
      watcher: nodeWatcher(platformPorts.deps.clock, rootOf, POLL_MS, watch),
      ...(options.observe ? { observer: nodeObserver(rootOf, watch) } : {}),
    },
    store: platformPorts.store,
    dispose: platformPorts.dispose,
  };
}
