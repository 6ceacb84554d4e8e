/** Session settings the leader chooses (docs/protocol.md §3): analysis, data type, matching, exclusions. Shared by Local and Cloud sessions. */

import { DEFAULT_RETENTION, type RetentionPolicy } from '../versions/retention.ts';

export type { RetentionPolicy };

/** "Smart" re-hashes only what size/mtime say changed since the index; "Checksum" re-hashes every file. */
export type AnalysisMode = 'smart' | 'checksum';
/** Which items take part in the comparison and the plan. */
export type DataType = 'files-and-directories' | 'files' | 'directories';
/** Tree matches items by relative path; Flat matches files by name wherever they sit. */
export type Matching = 'tree' | 'flat';

/**
 * What a member may do in a cloud session (issue 13): send and receive (default), send only (its sources are never
 * written), receive only (its own changes do not spread). Every member enforces every role, whatever the UI does.
 */
export type MemberRole = 'send-receive' | 'send-only' | 'receive-only';
export const MEMBER_ROLES: readonly MemberRole[] = ['send-receive', 'send-only', 'receive-only'];

/** Everything a leader sets before an inventory. Plain data: it travels to members as is (Cloud Session). */
export interface SessionSettings {
  analysisMode: AnalysisMode;
  dataType: DataType;
  matching: Matching;
  /** When false, `Report.txt` and `report.txt` are one item (Windows and macOS users expect this). */
  caseSensitive: boolean;
  /** Leaves out names starting with '.'. The Windows "hidden" attribute is not visible from a browser. */
  excludeHidden: boolean;
  /** Leaves out OS noise (.DS_Store, Thumbs.db, desktop.ini, Office lock files …; core/inventory/exclusions.ts). */
  excludeSystem: boolean;
  /** gitignore lines, matched against paths relative to each source's root. */
  exclusionPatterns: string[];
  /** Which kept versions a run removes when it starts (core/versions/retention.ts); Syncthing-like safe defaults. */
  retention: RetentionPolicy;
  /** Cloud only: once on, every change a member's watcher sees reaches the others without anyone pressing a button. */
  continuous: boolean;
  /** Cloud only: each member's role by member id; a member not listed sends and receives. */
  roles: Record<string, MemberRole>;
}

/** What a new session starts with: the behaviour of issue 2. */
export const DEFAULT_SETTINGS: Readonly<SessionSettings> = Object.freeze({
  analysisMode: 'smart',
  dataType: 'files-and-directories',
  matching: 'tree',
  caseSensitive: true,
  excludeHidden: false,
  excludeSystem: true,
  exclusionPatterns: [],
  retention: DEFAULT_RETENTION,
  continuous: false,
  roles: {},
});

/** Limits that keep a settings message small and a pattern list cheap to match. */
export const SETTINGS_LIMITS = { patterns: 500, patternLength: 1000, maxAgeDays: 36_500, perFile: 100_000, roles: 16, memberIdLength: 64 } as const;

/** Why a settings object was refused; the UI translates `code`. */
export interface SettingsIssue {
  field: keyof SessionSettings;
  code: 'invalid-value' | 'too-many-patterns' | 'pattern-too-long' | 'pattern-invalid';
}

export type SettingsCheck = { ok: true; settings: SessionSettings } | { ok: false; issues: SettingsIssue[] };

const oneOf = <T extends string>(values: readonly T[]) => (v: unknown): v is T => typeof v === 'string' && (values as readonly string[]).includes(v);
const isAnalysis = oneOf<AnalysisMode>(['smart', 'checksum']);
const isDataType = oneOf<DataType>(['files-and-directories', 'files', 'directories']);
const isMatching = oneOf<Matching>(['tree', 'flat']);
const DAY_MS = 24 * 3600 * 1000;
const isRole = oneOf<MemberRole>(MEMBER_ROLES);
const isWhole = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;

/**
 * A retention policy from a form or the wire: a missing object or key takes its default (older peers send none); a
 * wrong value (an age under a second or over a century, fewer than one version per path, a negative cap) is refused.
 */
function checkRetention(value: unknown): RetentionPolicy | null {
  if (value === undefined) return { ...DEFAULT_RETENTION };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const raw = value as Record<string, unknown>;
  const out = { ...DEFAULT_RETENTION };
  const take = <K extends keyof RetentionPolicy>(key: K, ok: (v: unknown) => boolean): boolean => {
    if (raw[key] === undefined) return true;
    if (!ok(raw[key])) return false;
    out[key] = raw[key] as RetentionPolicy[K];
    return true;
  };
  const fine = [
    take('maxAge', (v) => isWhole(v, 1000, SETTINGS_LIMITS.maxAgeDays * DAY_MS)),
    take('staggered', (v) => typeof v === 'boolean'),
    take('perFile', (v) => isWhole(v, 1, SETTINGS_LIMITS.perFile)),
    take('maxBytes', (v) => v === null || isWhole(v, 0, Number.MAX_SAFE_INTEGER)),
    take('removeLastOfDeleted', (v) => typeof v === 'boolean'),
  ].every(Boolean);
  return fine ? out : null;
}

/** A roles map from a form or the wire: at most SETTINGS_LIMITS.roles entries of a short member id and a known role. */
function isRoles(v: unknown): v is Record<string, MemberRole> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const entries = Object.entries(v);
  return entries.length <= SETTINGS_LIMITS.roles && entries.every(([id, role]) => id.length > 0 && id.length <= SETTINGS_LIMITS.memberIdLength && isRole(role));
}

/**
 * Checks settings that came from a form or the wire. Missing fields take their defaults (older
 * peers send fewer keys); unknown keys are ignored; a wrong value is refused with its field.
 */
export function validateSettings(input: unknown): SettingsCheck {
  const raw = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const issues: SettingsIssue[] = [];
  const pick = <K extends keyof SessionSettings>(field: K, ok: (v: unknown) => boolean): SessionSettings[K] => {
    const value = raw[field];
    if (value === undefined) return DEFAULT_SETTINGS[field];
    if (ok(value)) return value as SessionSettings[K];
    issues.push({ field, code: 'invalid-value' });
    return DEFAULT_SETTINGS[field];
  };
  const bool = (v: unknown) => typeof v === 'boolean';
  const settings: SessionSettings = {
    analysisMode: pick('analysisMode', isAnalysis),
    dataType: pick('dataType', isDataType),
    matching: pick('matching', isMatching),
    caseSensitive: pick('caseSensitive', bool),
    excludeHidden: pick('excludeHidden', bool),
    excludeSystem: pick('excludeSystem', bool),
    exclusionPatterns: pick('exclusionPatterns', (v) => Array.isArray(v) && v.every((p) => typeof p === 'string')),
    retention: checkRetention(raw.retention) ?? { ...DEFAULT_RETENTION },
    continuous: pick('continuous', bool),
    roles: { ...pick('roles', isRoles) },
  };
  if (checkRetention(raw.retention) === null) issues.push({ field: 'retention', code: 'invalid-value' });
  const patterns = settings.exclusionPatterns;
  if (patterns.length > SETTINGS_LIMITS.patterns) issues.push({ field: 'exclusionPatterns', code: 'too-many-patterns' });
  if (patterns.some((p) => p.length > SETTINGS_LIMITS.patternLength)) issues.push({ field: 'exclusionPatterns', code: 'pattern-too-long' });
  // A line break inside one pattern would smuggle a second pattern past the count.
  if (patterns.some((p) => /[\r\n\0]/.test(p))) issues.push({ field: 'exclusionPatterns', code: 'pattern-invalid' });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, settings: { ...settings, exclusionPatterns: [...patterns] } };
}

/** Splits the text of a patterns box into lines (the form the settings keep), dropping trailing blanks. */
export function patternLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  return lines;
}
