/**
 * @roamhq/wrtc's RTCPeerConnection with its description getters answered from JavaScript, never from native code.
 *
 * Why: wrtc's localDescription, remoteDescription and their current / pending forms call libwebrtc's
 * GetLocalDescription (or kin) → SdpSerialize on the JavaScript thread, while WebRTC's signaling thread may be changing
 * that description (a candidate gathered or added): a rare SIGSEGV (node-webrtc issue #696; seen once in 30 stress
 * processes, gdb: GetLocalDescription → SdpSerialize under the getter; wrtc-stress.ts, 320 processes of 60 pairs, before and
 * after: 3 SIGSEGV before, one with that same backtrace in its core, 0 after). The simple-peer fork reads localDescription
 * after each setLocalDescription and remoteDescription for each candidate it is given. Here each getter answers with
 * the description last applied on its side, recorded as setLocalDescription / setRemoteDescription resolve (a failed
 * one changes nothing), by the W3C rules (`applied`). The SDP is the one given, without candidates gathered since:
 * the Node transport trickles them (simple-peer-transport.ts `trickle: true`), as the fork does with a browser's
 * description. A set without an SDP (implicit offer or answer, unused by the fork) leaves the getters to native code.
 *
 * wrtc defines its getters on each instance, non-configurable, so a subclass cannot override them: the constructor
 * returns a Proxy of the instance that answers them (a Proxy may do so for an accessor; everything else, methods,
 * on* handlers, addEventListener, `_pc`, goes through to the instance, and `instanceof` holds).
 */

export interface DescriptionInit {
  type: RTCSdpType;
  sdp?: string;
}
type Sdp = { type: RTCSdpType; sdp: string };
type Side = 'local' | 'remote';
/** The descriptions a connection holds (W3C: [[CurrentLocalDescription]], [[PendingLocalDescription]] …). */
export type Descriptions = Record<Side, { current: Sdp | null; pending: Sdp | null }>;

export const NO_DESCRIPTIONS: Descriptions = { local: { current: null, pending: null }, remote: { current: null, pending: null } };

/** The descriptions after `description` was applied on `side` (W3C webrtc-pc, "set the session description"). */
export function applied(state: Descriptions, side: Side, description: Sdp | { type: 'rollback' }): Descriptions {
  const other: Side = side === 'local' ? 'remote' : 'local';
  if (description.type === 'answer') {
    const both = { [side]: { current: description, pending: null }, [other]: { current: state[other].pending, pending: null } };
    return both as Descriptions;
  }
  // An offer or a provisional answer waits as pending; a rollback drops this side's pending one.
  return { ...state, [side]: { ...state[side], pending: description.type === 'rollback' ? null : (description as Sdp) } };
}

/** What each getter answers from the recorded descriptions. */
const GETTERS: Record<string, (d: Descriptions) => Sdp | null> = {
  localDescription: (d) => d.local.pending ?? d.local.current,
  currentLocalDescription: (d) => d.local.current,
  pendingLocalDescription: (d) => d.local.pending,
  remoteDescription: (d) => d.remote.pending ?? d.remote.current,
  currentRemoteDescription: (d) => d.remote.current,
  pendingRemoteDescription: (d) => d.remote.pending,
};

/** The part of wrtc's RTCPeerConnection this wraps. */
interface WrtcPeerConnection {
  setLocalDescription(description?: DescriptionInit, ...legacy: unknown[]): Promise<void>;
  setRemoteDescription(description: DescriptionInit, ...legacy: unknown[]): Promise<void>;
}

/** Answers `pc`'s description getters from what its sets applied. */
function describedInJs<T extends WrtcPeerConnection>(pc: T, SessionDescription: new (init: Sdp) => object): T {
  let state = NO_DESCRIPTIONS;
  // Set once a description went in without an SDP: only native code knows what it holds.
  let unknown = false;
  const recording = (side: Side, set: WrtcPeerConnection['setLocalDescription']) =>
    function (this: T, description?: DescriptionInit, ...legacy: unknown[]): Promise<void> {
      // Copied now: the caller may change its object before the set resolves (the fork assigns offer.sdp first).
      const known = description?.type === 'rollback' ? { type: 'rollback' as const }
        : description && typeof description.sdp === 'string' ? { type: description.type, sdp: description.sdp } : null;
      return set.call(this, description, ...legacy).then((value) => {
        if (known) state = applied(state, side, known);
        else unknown = true;
        return value;
      });
    };
  const setLocal = recording('local', pc.setLocalDescription);
  const setRemote = recording('remote', pc.setRemoteDescription);
  return new Proxy(pc, {
    get(target, key, receiver) {
      if (key === 'setLocalDescription') return setLocal;
      if (key === 'setRemoteDescription') return setRemote;
      const getter = typeof key === 'string' && !unknown ? GETTERS[key] : undefined;
      if (!getter) return Reflect.get(target, key, receiver);
      const description = getter(state);
      // A new object at each read, as wrtc's getters give.
      return description ? new SessionDescription(description) : null;
    },
  });
}

/** `Base` (wrtc's RTCPeerConnection) whose instances answer their description getters from JavaScript. */
export function withJsDescriptions<T extends WrtcPeerConnection>(
  Base: new (config?: RTCConfiguration) => T,
  SessionDescription: new (init: Sdp) => object,
): new (config?: RTCConfiguration) => T {
  return class JsDescriptionsPeerConnection extends (Base as new (config?: RTCConfiguration) => WrtcPeerConnection) {
    constructor(config?: RTCConfiguration) {
      super(config);
      return describedInJs(this, SessionDescription);
    }
  } as new (config?: RTCConfiguration) => T;
}
