import { checkPlanPath, normalizePlanPath } from '../plan/paths';
import { PLAN_FILE } from '../constants';

/** A sha256 in lowercase hex, as the manifest records file and snapshot hashes. */
const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * The one rule for an app-root-relative path read from disk or from the cache (manifest keys, record files,
 * obsolete files, snapshot overlays): the plan core's rule for planned files (relative, no `..`, no backslash
 * or control character, none of the reserved names) and in normal form. Returns why it fails, or undefined.
 */
export function recordedPathIssue(path: string): string | undefined {
  const issue = checkPlanPath(path, PLAN_FILE);
  if (issue) return issue.message;
  const normalized = normalizePlanPath(path);
  if (normalized !== path) return `${JSON.stringify(path)} is not in normal form (${JSON.stringify(normalized)}).`;
  return undefined;
}

/**
 * Checks parsed manifest JSON: its shape (the fields every consumer reads) and every path in it with
 * `recordedPathIssue`. Returns one sentence per problem; unknown extra fields are allowed (newer writers).
 */
export function manifestProblems(data: unknown): string[] {
  if (!isRecord(data)) return [`it is ${describe(data)}, not a JSON object`];
  const problems: string[] = [];
  const expect = (ok: boolean, field: string, wanted: string) => {
    if (!ok) problems.push(`"${field}" must be ${wanted}, got ${describe(data[field])}`);
  };
  expect(typeof data.plan === 'string', 'plan', 'a string');
  expect(isPhaseRef(data.phase), 'phase', 'an object { number, name } with a positive whole number');
  expect(isStringArray(data.features), 'features', 'an array of strings');
  expect(typeof data.snapshotHash === 'string' && SHA256_HEX.test(data.snapshotHash), 'snapshotHash', 'a sha256 in hex');
  expect(data.fingerprint === undefined || typeof data.fingerprint === 'string', 'fingerprint', 'a string when present');
  expect(isRecord(data.generator) && typeof data.generator.use === 'string', 'generator', 'an object with a "use" string');
  expect(typeof data.durationMs === 'number' && data.durationMs >= 0, 'durationMs', 'a non-negative number');
  expect(isUsage(data.usage), 'usage', `an object with the numbers ${USAGE_FIELDS.join(', ')}`);
  expect(isStringArray(data.warnings), 'warnings', 'an array of strings');
  expect(data.waits === undefined || isWaitList(data.waits), 'waits', 'absent or an array of { kind: "rate-limit" | "retry", fromMs, toMs } with 0 ≤ fromMs ≤ toMs');
  expect(data.checks === undefined || isCheckList(data.checks), 'checks', 'absent or an array of { attempt, passed, durationMs, diagnostics } numbered 1, 2, … whose last entry passed');
  expect(data.segments === undefined || isSegmentList(data.segments), 'segments', 'absent or an array of { kind: "generate" | "check" | "repair", attempt, fromMs, toMs } with 0 ≤ fromMs ≤ toMs');
  expect(data.cost === undefined || isPhaseCost(data.cost), 'cost', `absent or ${PHASE_COST_SHAPE}`);
  expect(data.contributions === undefined || isRecord(data.contributions), 'contributions', 'absent or an object mapping mergeable files to sha256 hashes');
  if (isRecord(data.contributions)) problems.push(...pathHashProblems('contributions', data.contributions));
  if (!isRecord(data.files)) {
    expect(false, 'files', 'an object mapping paths to sha256 hashes');
    return problems;
  }
  problems.push(...pathHashProblems('files', data.files));
  if (data.executable !== undefined) {
    const files = data.files;
    const ok = isStringArray(data.executable) && data.executable.every((path) => Object.hasOwn(files, path));
    expect(ok, 'executable', 'an array of keys of "files" when present');
  }
  return problems;
}

/** Problems of a `path → sha256` map (`files`, `contributions`): every key passes `recordedPathIssue`, every value is a sha256. */
function pathHashProblems(field: string, map: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [path, hash] of Object.entries(map)) {
    const issue = recordedPathIssue(path);
    if (issue) problems.push(`"${field}" key ${issue}`);
    else if (typeof hash !== 'string' || !SHA256_HEX.test(hash)) problems.push(`"${field}" value of ${JSON.stringify(path)} must be a sha256 in hex, got ${describe(hash)}`);
  }
  return problems;
}

/**
 * True for a manifest's `checks`: attempts numbered 1, 2, …, whole non-negative counts, and a passing last entry
 * (`lastPassed: false`: a failed phase's run record, whose checks all failed).
 */
export function isCheckList(value: unknown, lastPassed = true): boolean {
  if (!Array.isArray(value) || value.length === 0) return false;
  const wellFormed = value.every(
    (entry, index) =>
      isRecord(entry) &&
      entry.attempt === index + 1 &&
      typeof entry.passed === 'boolean' &&
      typeof entry.durationMs === 'number' &&
      entry.durationMs >= 0 &&
      Number.isInteger(entry.diagnostics) &&
      (entry.diagnostics as number) >= 0,
  );
  return wellFormed && (value[value.length - 1] as { passed: boolean }).passed === lastPassed && value.slice(0, -1).every((entry) => !entry.passed);
}

/** True for a list of `{ kind: "generate" | "check" | "repair", attempt, fromMs, toMs }` (manifests and run records). */
export function isSegmentList(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every(
      (segment) =>
        isRecord(segment) &&
        (segment.kind === 'generate' || segment.kind === 'check' || segment.kind === 'repair') &&
        Number.isSafeInteger(segment.attempt) &&
        (segment.attempt as number) >= 1 &&
        typeof segment.fromMs === 'number' &&
        typeof segment.toMs === 'number' &&
        segment.fromMs >= 0 &&
        segment.toMs >= segment.fromMs &&
        Number.isFinite(segment.toMs),
    )
  );
}

/** How a recorded cost must look, for messages. */
export const PHASE_COST_SHAPE =
  'an object { usd: a finite number ≥ 0 or null, models: 1-20 model names of 1-200 characters without control characters, priceTableDate: YYYY-MM-DD, unanswered: absent or an integer ≥ 1 }';

/** True for a `cost` as manifests and run records hold it (see `PhaseCost`); model names hold no control characters, so they can be printed. */
export function isPhaseCost(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const usdOk = value.usd === null || (typeof value.usd === 'number' && Number.isFinite(value.usd) && value.usd >= 0);
  const models = value.models;
  const modelsOk =
    Array.isArray(models) && models.length >= 1 && models.length <= 20 && models.every((m) => typeof m === 'string' && /^[^\u0000-\u001f\u007f-\u009f]{1,200}$/.test(m));
  const unansweredOk = value.unanswered === undefined || (Number.isSafeInteger(value.unanswered) && (value.unanswered as number) >= 1);
  return usdOk && modelsOk && unansweredOk && typeof value.priceTableDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value.priceTableDate);
}

/** The usage counters every manifest records (summed and printed by the run report). */
const USAGE_FIELDS = ['calls', 'retries', 'promptTokens', 'completionTokens', 'waitMs'] as const;

/** True for an object holding every usage counter as a number ≥ 0 (manifests and run records). */
export function isUsage(value: unknown): boolean {
  return isRecord(value) && USAGE_FIELDS.every((field) => typeof value[field] === 'number' && (value[field] as number) >= 0);
}

/** True for a list of `{ kind: "rate-limit" | "retry", fromMs, toMs }` with 0 ≤ fromMs ≤ toMs (manifests and run records). */
export function isWaitList(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every(
      (wait) =>
        isRecord(wait) &&
        (wait.kind === 'rate-limit' || wait.kind === 'retry') &&
        typeof wait.fromMs === 'number' &&
        typeof wait.toMs === 'number' &&
        wait.fromMs >= 0 &&
        wait.toMs >= wait.fromMs &&
        Number.isFinite(wait.toMs),
    )
  );
}

function isPhaseRef(value: unknown): boolean {
  return isRecord(value) && Number.isInteger(value.number) && (value.number as number) > 0 && typeof value.name === 'string';
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short, escaped description of a JSON value for messages. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}…` : json;
}
