/**
 * Notices at the end of a run, from Node: a webhook POST of the run's JSON record (fetch) and an e-mail through the
 * profile's SMTP relay (nodemailer). A notice that fails is reported back as a sentence, never as a failed run.
 */
import nodemailer from 'nodemailer';
import type { Notifier } from '../../core/unattended/executor.ts';
import type { Profile } from '../../core/unattended/profile.ts';
import type { RunRecord } from '../../core/unattended/run-record.ts';
import { noticeSubject, noticeText } from '../../core/unattended/run-text.ts';

export const NOTICE_TIMEOUT_MS = 15_000;

/** Where a notice went, without the credentials or tokens its address may hold. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(bad address)';
  }
}

const reasonOf = (error: unknown) => {
  const e = error as { name?: string; message?: string; cause?: { message?: string } };
  if (e?.name === 'TimeoutError') return 'no answer in time';
  return [e?.message ?? String(error), e?.cause?.message].filter(Boolean).join(': ');
};

export class NodeNotifier implements Notifier {
  constructor(private readonly timeoutMs = NOTICE_TIMEOUT_MS) {}

  async notify(profile: Profile, record: RunRecord): Promise<string[]> {
    const failures: string[] = [];
    const webhook = profile.notify?.webhook;
    if (webhook) {
      try {
        const response = await fetch(webhook, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'quintet' },
          body: JSON.stringify(record),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        await response.body?.cancel();
        if (!response.ok) failures.push(`webhook to ${hostOf(webhook)} answered HTTP ${response.status}`);
      } catch (error) {
        failures.push(`webhook to ${hostOf(webhook)} failed: ${reasonOf(error)}`);
      }
    }
    const email = profile.notify?.email;
    if (email) {
      // Made inside the try: an address the profile check lets through (smtp://[relay) throws here, and a throw would end
      // a daily `quintet run` instead of noting the notice that could not be sent.
      let transport: ReturnType<typeof nodemailer.createTransport> | undefined;
      try {
        transport = nodemailer.createTransport({ url: email.smtp, connectionTimeout: this.timeoutMs, greetingTimeout: this.timeoutMs, socketTimeout: this.timeoutMs });
        await transport.sendMail({ from: email.from, to: email.to, subject: noticeSubject(record), text: noticeText(record) });
      } catch (error) {
        failures.push(`e-mail through ${hostOf(email.smtp)} failed: ${reasonOf(error)}`);
      } finally {
        transport?.close();
      }
    }
    return failures;
  }
}
