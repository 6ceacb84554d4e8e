/**
 * Run by late-channels.test.ts as `node --import tsx late-channels.fixture.ts <pairs> guarded|bare`: real
 * @roamhq/wrtc pairs whose answerer closes while its channel is coming up, so wrtc announces the channel after the
 * close (JavaScript is held while the native side opens it, and the close comes first in the same turn). `guarded`
 * watches the answerer with closeLateChannels. Everything stays referenced and the process ends by itself, so Node's
 * teardown runs every finalizer left: the step that crashed. Prints how many channels came late, as JSON.
 */
import { createRequire } from 'node:module';
import { closeLateChannels } from './late-channels.ts';

const wrtc = createRequire(import.meta.url)('@roamhq/wrtc') as { RTCPeerConnection: new (config: RTCConfiguration) => RTCPeerConnection };

const PAIRS = Number(process.argv[2] ?? 3);
const guarded = process.argv[3] !== 'bare';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const hold = (ms: number) => {
  for (const end = Date.now() + ms; Date.now() < end;);
};

let late = 0;
const kept: unknown[] = [];

async function pair(): Promise<void> {
  const a = new wrtc.RTCPeerConnection({ iceServers: [] });
  const b = new wrtc.RTCPeerConnection({ iceServers: [] });
  if (guarded) closeLateChannels(b);
  b.addEventListener('datachannel', () => {
    if (b.signalingState === 'closed') late++;
  });
  const channel = a.createDataChannel('data');
  a.onicecandidate = (event) => void (event.candidate && b.addIceCandidate(event.candidate).catch(() => {}));
  b.onicecandidate = (event) => void (event.candidate && a.addIceCandidate(event.candidate).catch(() => {}));
  const connected = new Promise<void>((resolve) => (a.onconnectionstatechange = () => a.connectionState === 'connected' && resolve()));
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription!);
  await Promise.race([connected, sleep(10_000)]);
  // DTLS is up: the native side opens the channel and queues its announcement to b while JavaScript is held here.
  hold(300);
  b.close();
  await sleep(50);
  channel.close();
  a.close();
  kept.push(a, b, channel);
}

for (let i = 0; i < PAIRS; i++) await pair();
await sleep(200);
process.stdout.write(`${JSON.stringify({ pairs: PAIRS, guarded, late })}\n`);
