/** Loads the simple-peer fork the browser uses, with @roamhq/wrtc as its RTCPeerConnection. */
import { createRequire, register } from 'node:module';
import { withJsDescriptions } from './wrtc-descriptions.ts';

// The fork imports its WebRTC from `webrtc-polyfill`, whose Node entry loads node-datachannel. A resolve hook hands the fork
// a tiny module re-exporting @roamhq/wrtc's classes instead, for that one import from that one package; the browser
// build resolves the same import to the browser's own classes (vite.config.ts). The hook must be in place before the
// fork is first imported, hence the dynamic import below. The classes reach that module through a global slot, not an
// import of this directory's files: the CLI runs bundled (scripts/build-cli.mjs), where those files no longer exist.
// Its RTCPeerConnection answers its description getters from JavaScript (wrtc-descriptions.ts: native ones can crash).
const WRTC_SLOT = 'quintet.simple-peer-node.wrtc';
const shim = `data:text/javascript,${encodeURIComponent(
  `const w = globalThis[Symbol.for(${JSON.stringify(WRTC_SLOT)})];
export const RTCPeerConnection = w.RTCPeerConnection, RTCSessionDescription = w.RTCSessionDescription, RTCIceCandidate = w.RTCIceCandidate;`,
)}`;
const hooks = `export async function resolve(specifier, context, next) {
  if (specifier === 'webrtc-polyfill' && context.parentURL?.includes('/@thaunknown/simple-peer/')) return { url: ${JSON.stringify(shim)}, shortCircuit: true };
  return next(specifier, context);
}`;

/**
 * The RTCPeerConnection under the fork: @roamhq/wrtc (libwebrtc), or, for measuring only, node-datachannel
 * (libdatachannel), the fork's own Node default, which since 0.33 installs from npm alone (binaries in platform
 * packages; a devDependency, pinned for webrtc-polyfill by package.json's overrides). Measured on this machine it moved
 * a CLI ↔ CLI mirror slower at the same CPU, and one of its runs hung (bench/README.md, "Transfer": choosing the Node
 * stack), so @roamhq/wrtc stays; `QUINTET_NODE_WEBRTC=node-datachannel` runs a member or a benchmark on the other.
 */
export const NODE_WEBRTC_STACK = process.env.QUINTET_NODE_WEBRTC === 'node-datachannel' ? 'node-datachannel' : '@roamhq/wrtc';
if (NODE_WEBRTC_STACK === '@roamhq/wrtc') {
  const wrtc = createRequire(import.meta.url)('@roamhq/wrtc') as WrtcClasses;
  (globalThis as Record<symbol, WrtcClasses>)[Symbol.for(WRTC_SLOT)] = {
    RTCPeerConnection: withJsDescriptions(wrtc.RTCPeerConnection, wrtc.RTCSessionDescription),
    RTCSessionDescription: wrtc.RTCSessionDescription,
    RTCIceCandidate: wrtc.RTCIceCandidate,
  };
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}

/** The classes of @roamhq/wrtc the fork imports (the package ships no types). */
interface WrtcClasses {
  RTCPeerConnection: new (config?: RTCConfiguration) => RTCPeerConnection;
  RTCSessionDescription: new (init: RTCSessionDescriptionInit) => RTCSessionDescription;
  RTCIceCandidate: new (init: RTCIceCandidateInit) => RTCIceCandidate;
}

/** The part of simple-peer's Peer (lite build) the Node transport uses; the package ships no types. */
export interface NodePeer {
  signal(data: object): void;
  send(data: Uint8Array): void;
  destroy(error?: Error): void;
  on(event: 'signal', handler: (data: unknown) => void): this;
  on(event: 'connect' | 'close' | 'disconnect', handler: () => void): this;
  on(event: 'data', handler: (data: Uint8Array) => void): this;
  on(event: 'error', handler: (error: Error) => void): this;
}

export interface NodePeerOptions {
  initiator?: boolean;
  trickle?: boolean;
  channelConfig?: RTCDataChannelInit;
  config?: RTCConfiguration;
}

// A specifier in a variable: the module is typed here, by NodePeer, rather than by an ambient declaration.
const SIMPLE_PEER = '@thaunknown/simple-peer/lite.js';

/** simple-peer's Peer class, running on @roamhq/wrtc. */
const Peer = (await import(SIMPLE_PEER)).default as new (options: NodePeerOptions) => NodePeer;
export default Peer;
