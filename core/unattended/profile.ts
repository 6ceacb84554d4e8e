/**
 * Profiles: a saved set-up that runs without anyone at the keyboard (issue 12). One JSON format for the CLI's files
 * and the PWA's IndexedDB, versioned (`v`, default 1), validated here with valibot. docs/profiles.md documents it.
 */
import * as v from 'valibot';
import { isTimeZone } from './zoned-time.ts';

/** The format's version; a profile with a newer `v` is refused with a clear message, never half-read. */
export const PROFILE_VERSION = 1;

const sourceCode = v.pipe(v.string(), v.regex(/^[A-E][1-9]$/, 'a source code such as A1'));
/** HH:MM, or HH:MM:SS for a run at a given second (tests, staggered hubs). */
const clockTime = v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'a time as HH:MM (24 h)'));
/** "90s", "30m", "2h", or a number of seconds. */
export const durationText = v.union([v.pipe(v.number(), v.integer(), v.minValue(0)), v.pipe(v.string(), v.regex(/^\d+(s|m|h)$/, 'a duration such as 90s, 30m or 2h'))]);

const ruleLike = v.looseObject({ scope: v.picklist(['files', 'directories']), mode: v.picklist(['all', 'any']), conditions: v.array(v.looseObject({})), action: v.looseObject({ do: v.string() }) });

const schedule = v.strictObject({
  /** Local wall-clock time of the run in `timeZone` (default: the machine's zone). */
  at: clockTime,
  /** Repeat every day at `at` (a service) instead of once. */
  daily: v.optional(v.boolean()),
  /** An IANA zone such as Europe/Paris; daylight-saving changes follow it. */
  timeZone: v.optional(v.pipe(v.string(), v.minLength(1), v.check(isTimeZone, 'an IANA time zone such as Europe/Paris'))),
});

const notify = v.strictObject({
  /** POST of the run's JSON record when the run ends. */
  webhook: v.optional(v.pipe(v.string(), v.url())),
  email: v.optional(
    v.strictObject({
      to: v.pipe(v.array(v.pipe(v.string(), v.email())), v.minLength(1)),
      from: v.pipe(v.string(), v.email()),
      /** smtp://host:port or smtps://user:pass@host:port of the relay. */
      smtp: v.pipe(v.string(), v.regex(/^smtps?:\/\//, 'an smtp:// or smtps:// address')),
    }),
  ),
});

const common = {
  v: v.optional(v.literal(PROFILE_VERSION)),
  name: v.optional(v.pipe(v.string(), v.maxLength(120))),
  sources: v.pipe(v.array(v.pipe(v.string(), v.minLength(1))), v.minLength(1), v.maxLength(9)),
  preset: v.optional(v.picklist(['mirror', 'update', 'two-way'])),
  from: v.optional(sourceCode),
  to: v.optional(sourceCode),
  rules: v.optional(v.array(ruleLike)),
  /** Session settings (core/settings/settings.ts), checked again by validateSettings. */
  settings: v.optional(v.looseObject({})),
  schedule: v.optional(schedule),
  notify: v.optional(notify),
};

export const LocalProfileSchema = v.strictObject({ ...common, kind: v.literal('local') });

export const CloudProfileSchema = v.strictObject({
  ...common,
  kind: v.literal('cloud'),
  /** The signaling server (default QUINTET_SERVER, then http://localhost:8787). */
  server: v.optional(v.pipe(v.string(), v.url())),
  /** hub: creates each run and leads it whatever the arrival order; member: joins the hub's runs. */
  part: v.picklist(['hub', 'member']),
  /** The standing group this member belongs to: the group file's path (docs/protocol.md §11). */
  group: v.pipe(v.string(), v.minLength(1)),
  /** Hub only: the members it waits for, by their machine names. */
  expectedMembers: v.optional(v.pipe(v.array(v.pipe(v.string(), v.minLength(1))), v.maxLength(4))),
  /** How long the hub waits for the expected members (and a member for the hub). Default DEFAULT_MAX_WAIT. */
  maxWait: v.optional(durationText),
  /**
   * The longest a run may last once under way (hub: after its wait; member: after joining the hub's run); past it the
   * run stops cleanly and is recorded failed. Default DEFAULT_MAX_RUN_TIME.
   */
  maxRunTime: v.optional(v.pipe(durationText, v.check((d) => durationMs(d) > 0, 'a duration longer than 0'))),
});

/** A cloud profile's defaults for `maxWait` and `maxRunTime`. */
export const DEFAULT_MAX_WAIT = '30m';
export const DEFAULT_MAX_RUN_TIME = '12h';

export const ProfileSchema = v.variant('kind', [LocalProfileSchema, CloudProfileSchema]);

export type LocalProfile = v.InferOutput<typeof LocalProfileSchema>;
export type CloudProfile = v.InferOutput<typeof CloudProfileSchema>;
export type Profile = v.InferOutput<typeof ProfileSchema>;

export type ProfileCheck = { ok: true; profile: Profile } | { ok: false; errors: string[] };

/** Validates a parsed JSON value; each error names its field ("sources.1: …"). */
export function checkProfile(input: unknown): ProfileCheck {
  if (typeof input === 'object' && input !== null && typeof (input as { v?: unknown }).v === 'number' && (input as { v: number }).v > PROFILE_VERSION) {
    return { ok: false, errors: [`v: profile format ${(input as { v: number }).v} is newer than this Quintet reads (${PROFILE_VERSION}); update Quintet`] };
  }
  const result = v.safeParse(ProfileSchema, input);
  if (result.success) return { ok: true, profile: result.output };
  return { ok: false, errors: result.issues.map((issue) => `${v.getDotPath(issue) ?? '(profile)'}: ${issue.message}`) };
}

/** Parses "30m" / "2h" / "90s" / seconds into milliseconds. */
export function durationMs(value: string | number): number {
  if (typeof value === 'number') return value * 1000;
  const n = Number(value.slice(0, -1));
  const unit = value.slice(-1);
  return n * (unit === 'h' ? 3_600_000 : unit === 'm' ? 60_000 : 1000);
}
