/**
 * The entry of dist/cli/local-<hash>.cjs, `quintet local` alone as one CommonJS script (scripts/build-cli.mjs), which
 * the bin runs through cli/code-cache.mjs with a V8 code cache. No top-level await: CommonJS has none.
 */
import { runProcess } from './process-run.ts';

void runProcess();
