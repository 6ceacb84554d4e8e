/** The `quintet` process: runs the command line with the real process's io and exits with its code (the bin's entry). */
import { main } from './main.ts';
import { processIo } from './io.ts';

process.exitCode = await main(process.argv.slice(2), processIo());
// WebRTC's native threads (create, join) can keep the process alive after every peer is closed: whatever is still
// finishing (a file write) gets two seconds, then the process exits with its code (staged files removed on 'exit').
setTimeout(() => process.exit(), 2000).unref();
