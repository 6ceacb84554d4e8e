/** The `quintet` command: parses the subcommand, runs it, and turns every outcome into a documented exit code. */
import { EXIT, EXIT_HELP, UsageError, type ExitCode } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { FsError } from '../core/errors.ts';
import { helpText, languageOf, msg, setLanguage } from './i18n.ts';

export const MAIN_HELP = `Usage: quintet <command> [options]

Folder synchronization for one to five people; this is the headless member (no browser needed).

Commands:
  local <dir> <dir> […]   synchronize folders on this machine (Mirror, Update, Two-way)
  versions <dir>          list the runs and the versions kept in a folder
  restore <dir> <path>    put a kept version of a file or folder back
  undo <dir>              undo the last run on a folder, where nothing changed since
  create --source <dir>   start a cloud session as its leader (prints ID, password, invite link, safety words)
  join <id|link>          join a cloud session with this computer's sources and follow the leader
  run <profile.json>      run a saved profile now, at a time (--at) or every day (--daily); records each run
  report [<run-id>]       the recorded runs, newest first (--last N, --json, --csv), or one run in detail
  group create|join       a standing group: the hub's group file and invite, or a member's file from the invite
  test <profile.json>     connection test: the server, the rendezvous, the group's members online, protocol versions
  serve                   run the signaling server (as npm start does)
  help [command]          this help, or a command's

Run quintet <command> --help for a command's options.

${EXIT_HELP}`;

type Command = (argv: string[], io: CliIo) => Promise<ExitCode>;
// Each command's module loads only when it runs: `local` never loads libsodium, WebRTC or the server.
const commands: Record<string, () => Promise<Command>> = {
  local: async () => (await import('./local.ts')).runLocal,
  create: async () => (await import('./create.ts')).runCreate,
  join: async () => (await import('./join.ts')).runJoin,
  group: async () => (await import('./group.ts')).runGroup,
  test: async () => (await import('./test-connection.ts')).runTest,
  run: async () => (await import('./run.ts')).runRun,
  report: async () => (await import('./run-report.ts')).runReport,
  serve: async () => (await import('./serve.ts')).runServe,
  versions: async () => (await import('./versions.ts')).runVersions,
  restore: async () => (await import('./versions.ts')).runRestore,
  undo: async () => (await import('./versions.ts')).runUndo,
};

export async function main(argv: string[], io: CliIo): Promise<ExitCode> {
  setLanguage(languageOf(io.env));
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    io.out(await helpText('main', MAIN_HELP));
    return EXIT.done;
  }
  if (name === 'help') return main([rest[0] as string, '--help'], io);
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    io.err(`${msg('main.unknown', { name })}\n\n${await helpText('main', MAIN_HELP)}`);
    return EXIT.couldNotStart;
  }
  try {
    const command = await load();
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(msg('main.usage', { name, message: error.message }));
      return EXIT.couldNotStart;
    }
    // A file-system error says what and where; a stack is for what Quintet did not expect.
    const message = error instanceof FsError ? `${error.code}: ${error.message}` : error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.err(msg('main.failed', { name, message }));
    return EXIT.failed;
  }
}
