import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { Profile } from '../../core/unattended/profile.ts';
import type { RunRecord } from '../../core/unattended/run-record.ts';
import { Runner } from '../../core/unattended/runner.ts';
import { NodeNotifier } from './run-notifier.ts';
import { FileRunHistory } from './run-history.ts';
import { tempDir } from './temp-tree.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A webhook receiver: answers `status` and keeps every JSON body it got. */
async function webhookServer(status = 204): Promise<{ url: string; bodies: unknown[]; headers: Record<string, string | string[] | undefined>[] }> {
  const bodies: unknown[] = [];
  const headers: Record<string, string | string[] | undefined>[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(text));
      headers.push(req.headers);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?token=secret`, bodies, headers };
}

/** An SMTP relay on a free port (no TLS, no auth) that parses every message it accepts. */
async function smtpServer(): Promise<{ url: string; mails: ParsedMail[]; envelopes: string[][] }> {
  const mails: ParsedMail[] = [];
  const envelopes: string[][] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      envelopes.push(session.envelope.rcptTo.map((r) => r.address));
      simpleParser(stream).then((mail) => (mails.push(mail), callback()), callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`, mails, envelopes };
}

const record = (over: Partial<RunRecord> = {}): RunRecord => ({
  id: '2026-11-29T01-00-00.000Z-3f9a', profile: 'photos', kind: 'local', start: '2026-11-29T01:00:00.000Z', end: '2026-11-29T01:00:05.000Z', durationMs: 5000,
  status: 'partial', present: [], missing: [], counts: { planned: 2, done: 1, failed: 1, skipped: 0, byAction: { copy: 2 } }, perMember: [], bytes: 42,
  errors: [{ source: 'A2', path: 'docs/report.txt', reason: 'permission-denied: EACCES: permission denied' }], ...over,
});

describe('NodeNotifier', () => {
  it('the webhook receives the stored record as JSON, and the e-mail reaches the relay with subject and body', async () => {
    const hook = await webhookServer();
    const smtp = await smtpServer();
    const home = await tempDir('quintet-home-');
    const history = new FileRunHistory(home);
    const profile: Profile = {
      kind: 'local', name: 'photos', sources: ['/a', '/b'], preset: 'mirror',
      notify: { webhook: hook.url, email: { to: ['ops@example.com', 'boss@example.com'], from: 'quintet@example.com', smtp: smtp.url } },
    };
    const controller = new AbortController();
    const runner = new Runner({
      profile, name: 'photos', schedule: { timeZone: 'UTC' }, signal: controller.signal, log: () => undefined,
      executor: { execute: async () => ({ present: [], missing: [], counts: record().counts, perMember: [], bytes: 42, errors: record().errors }) },
      ports: {
        clock: { now: () => Date.now() }, timers: { after: (ms, fn) => { const t = setTimeout(fn, ms); return () => clearTimeout(t); } },
        random: { bytes: (n) => new Uint8Array(randomBytes(n)) }, history, notifier: new NodeNotifier(),
      },
    });
    const [ran] = await runner.run();
    const stored = await history.get(ran?.id as string);
    expect(stored?.status).toBe('partial');
    expect(stored?.message).toBeUndefined(); // both notices went through
    expect(hook.bodies).toEqual([stored]);
    expect(hook.headers[0]?.['content-type']).toBe('application/json');

    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0] as ParsedMail;
    expect(mail.subject).toBe('Quintet: photos partial');
    expect(mail.from?.text).toBe('quintet@example.com');
    expect(smtp.envelopes[0]).toEqual(['ops@example.com', 'boss@example.com']);
    expect(mail.text).toContain(`Run: ${stored?.id}`);
    expect(mail.text).toContain('Actions: 2 planned (copy 2), 1 done, 1 failed, 0 skipped');
    expect(mail.text).toContain('A2 docs/report.txt: permission-denied: EACCES: permission denied');
  });

  it('a webhook answering an error and an unreachable relay are reported, without the webhook token or relay password', async () => {
    const hook = await webhookServer(500);
    // A port that was just free: nothing listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const profile: Profile = {
      kind: 'local', sources: ['/a', '/b'],
      notify: { webhook: hook.url, email: { to: ['ops@example.com'], from: 'quintet@example.com', smtp: `smtp://user:hunter2@127.0.0.1:${port}` } },
    };
    const failures = await new NodeNotifier(5000).notify(profile, record());
    expect(hook.bodies).toHaveLength(1);
    expect(failures).toHaveLength(2);
    expect(failures[0]).toBe(`webhook to ${new URL(hook.url).host} answered HTTP 500`);
    expect(failures[1]).toMatch(new RegExp(`^e-mail through 127\\.0\\.0\\.1:${port} failed: .*ECONNREFUSED`));
    expect(failures.join(' ')).not.toMatch(/secret|hunter2/);
  });

  it('a relay address the profile check lets through but no URL parser takes is reported, never thrown (a daily run would end)', async () => {
    const profile: Profile = { kind: 'local', sources: ['/a', '/b'], notify: { email: { to: ['ops@example.com'], from: 'quintet@example.com', smtp: 'smtp://[relay' } } };
    const failures = await new NodeNotifier(5000).notify(profile, record());
    expect(failures).toEqual([expect.stringMatching(/^e-mail through \(bad address\) failed: /)]);
  });
});
