/**
 * The `quintet` process: runs the command line with the real process's io and exits with its code. Called by the
 * bundle's entries: cli/process-entry.ts (every command, an ES module) and cli/local-entry.ts (`quintet local` alone,
 * CommonJS, so the bin can run it with a V8 code cache: cli/code-cache.mjs).
 */
import { main } from './main.ts';
import { processIo } from './io.ts';
import { EXIT } from './exit-codes.ts';
import { msg } from './i18n.ts';

export async function runProcess(): Promise<void> {
  let settled = false;
  // The process never ends by its event loop running dry: Node would then free its environment, and that runs every
  // native finalizer left in an arbitrary order, @roamhq/wrtc's included: an RTCPeerConnection still reachable (not yet
  // collected) is destroyed after its own RTCDataChannel, whose reference it then releases (napi_reference_unref in
  // ~RTCPeerConnection: SIGSEGV, 7 of 20 members and leaders whose session the server ended). process.exit
  // ends the process without that teardown. (A closed connection still holds a channel there when wrtc announced the
  // channel after the close, a lane given up while it came up: adapters/node/late-channels.ts closes it again; this
  // stays for connections never closed.) And a command still waiting on something that can no longer come gets a
  // documented code with a line instead of Node's 13.
  process.on('beforeExit', () => {
    if (!settled) {
      process.stderr.write(`${msg('main.stalled')}\n`);
      process.exit(EXIT.failed);
    }
    process.exit();
  });
  process.exitCode = await main(process.argv.slice(2), processIo());
  settled = true;
  // WebRTC's native threads (create, join) can keep the process alive after every peer is closed: whatever is still
  // finishing (a file write) gets two seconds, then the process exits with its code (staged files removed on 'exit').
  setTimeout(() => process.exit(), 2000).unref();
}
