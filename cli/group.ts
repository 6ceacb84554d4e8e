/** `quintet group create|join`: a standing group's file for the hub (with its signing key) and for each member (from the invite). */
import { parseArgs } from 'node:util';
import { getSodium } from '../core/crypto/sodium.ts';
import { GROUP_SECRET_BYTES, newHubKeyPair } from '../core/crypto/group-keys.ts';
import { decodeGroupInvite, encodeGroupInvite } from '../core/unattended/group.ts';
import { EXIT, UsageError, type ExitCode } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { DEFAULT_SERVER, serverOf } from './cloud-setup.ts';
import { writeGroupFile } from './group-file.ts';
import { helpText, msg } from './i18n.ts';

export const GROUP_HELP = `Usage: quintet group create <group.json> --name <group name> [--server <url>]
       quintet group join <group.json> <invite>

A standing group meets again at every run without a new session ID or password (docs/protocol.md §11).

  create   (the hub) writes <group.json> (mode 0600): a new 32-byte group secret, the hub's signing key pair, the
           server (default $QUINTET_SERVER, else ${DEFAULT_SERVER}) and the group's name; prints the invite.
  join     (a member) writes <group.json> from the hub's invite (no hub secret key in it).

The invite holds the group secret: hand it over like a password (a private channel, never a public one). Anyone who
has it can join the group's runs. An existing file is never replaced.`;

export async function runGroup(argv: string[], io: CliIo): Promise<ExitCode> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { name: { type: 'string' }, server: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values: v, positionals } = parsed;
  const [action, file, invite, ...extra] = positionals;
  if (v.help || action === undefined) {
    io.out(await helpText('group', GROUP_HELP));
    return v.help ? EXIT.done : EXIT.couldNotStart;
  }
  if (action === 'create') {
    if (file === undefined || invite !== undefined) throw new UsageError(msg('group.oneFile'));
    const name = v.name?.trim();
    if (!name) throw new UsageError(msg('group.name'));
    const server = new URL(serverOf(v.server, io.env)).href;
    const sodium = await getSodium();
    const keys = await newHubKeyPair();
    const group = { name, server, part: 'hub' as const, secret: sodium.randombytes_buf(GROUP_SECRET_BYTES), hubPublicKey: keys.publicKey, hubSecretKey: keys.secretKey };
    const at = await writeGroupFile(file, group);
    io.out(msg('group.created', { name, file: at }));
    io.out(`${msg('group.invite')}\n${encodeGroupInvite(group)}`);
    io.out(msg('group.onEachMember'));
    return EXIT.done;
  }
  if (action === 'join') {
    if (file === undefined || invite === undefined || extra.length > 0) throw new UsageError(msg('group.fileAndInvite'));
    if (v.name !== undefined || v.server !== undefined) throw new UsageError(msg('group.fromInvite'));
    const decoded = decodeGroupInvite(invite);
    if (!decoded.ok) throw new UsageError(decoded.error);
    const at = await writeGroupFile(file, decoded.value);
    io.out(msg('group.joined', { name: decoded.value.name, server: decoded.value.server, file: at }));
    return EXIT.done;
  }
  throw new UsageError(msg('group.unknownAction', { action }));
}
