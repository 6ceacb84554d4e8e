/**
 * The signaling server a cloud command uses when neither --server nor $QUINTET_SERVER names one. Its own module so
 * the French help (cli/help.fr.ts, loaded by `quintet local --help` too) names it without loading the cloud commands'
 * modules (WebRTC, libsodium, the signaling client).
 */
export const DEFAULT_SERVER = 'http://localhost:8787';
