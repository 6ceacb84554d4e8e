/**
 * A data channel @roamhq/wrtc announces on a connection already closed is closed at once, and the connection closed
 * again, so that no closed connection keeps a channel for its finalizer to release.
 *
 * Why: the answerer learns of a channel when the offerer's open message arrives, and wrtc hands it to JavaScript on a
 * later turn of the event loop; a connection closed in between (a member left, a lane given up while it came up)
 * still gets it. close() has by then emptied the connection's channel map, and the late channel goes in and stays.
 * As Node tears its environment down it runs every finalizer left in any order, and ~RTCPeerConnection then releases
 * a channel already finalized (napi_reference_unref): SIGSEGV or abort (cli/process-entry.ts ends the CLI with
 * process.exit to skip that teardown; anything else using the transport, a test worker, still reaches it). A second
 * close() empties the map again (wrtc 0.10's Close clears it even when already closed; closing the channel alone does
 * not). Collections during a run were never the danger (the map's counted reference keeps the channel alive until the
 * connection's own finalizer: 0 crashes in 40 processes of 240 pairs with gc() between rounds of 6), so closed
 * connections need not be held. late-channels.fixture.ts forces the late announcement: unguarded, its process died
 * by SIGSEGV at its end 6 times in 6; guarded, 0 in 6.
 */

/** The part of wrtc's RTCPeerConnection this uses. */
interface ClosableConnection {
  readonly signalingState: string;
  close(): void;
  addEventListener(type: 'datachannel', listener: (event: { channel: { close(): void } }) => void): void;
}

/** Watches `pc` from its creation for channels announced after its close. */
export function closeLateChannels(pc: ClosableConnection): void {
  pc.addEventListener('datachannel', (event) => {
    if (pc.signalingState !== 'closed') return;
    event.channel.close();
    pc.close();
  });
}
