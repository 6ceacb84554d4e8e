#!/usr/bin/env node
// The `quintet` bin: loads the TypeScript entry through tsx (a dependency) in this process, so Ctrl-C reaches it.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('./main.ts', import.meta.url);
const { processIo } = await tsImport('./io.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2), processIo());
// WebRTC's native threads (create, join) can keep the process alive after every peer is closed: whatever is still
// finishing (a file write) gets two seconds, then the process exits with its code (staged files removed on 'exit').
setTimeout(() => process.exit(), 2000).unref();
