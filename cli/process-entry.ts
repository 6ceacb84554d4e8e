/** The `quintet` bundle's entry for every command (an ES module: the cloud commands' modules wait at their top level). */
import { runProcess } from './process-run.ts';

await runProcess();
