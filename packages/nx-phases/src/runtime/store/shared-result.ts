import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Phase } from '../../plan/types';
import { writeFileAtomically } from '../atomic-commit';
import { hasExecuteBit } from '../file-mode';
import { sha256 } from '../hash';
import type { PhaseManifest } from '../manifest';
import { manifestProblems } from '../manifest-checks';
import { assertRealFilePath } from '../real-path-check';
import type { Snapshot } from '../snapshot';
import { describeCause, RedisUnavailableError } from './redis-connection';
import type { RedisStore } from './store-client';

/** A committed result other machines may apply: kept this long after it was published. */
const RESULT_TTL_SECONDS = 7 * 24 * 3600;
/** A published result larger than this is not one nx-phases wrote (phases write source files). */
const MAX_RESULT_BYTES = 64 * 1024 * 1024;

/** What identifies a result: the phase and exactly the inputs it was generated from. */
export interface SharedResultId {
  planFile: string;
  phaseNumber: number;
  fingerprint: string;
  snapshotHash: string;
}

/** A verified result from the store, written into the snapshot; the commit re-derives and checks its hashes. */
export interface AppliedSharedResult {
  key: string;
  manifest: PhaseManifest;
}

/** The value stored under a result key. */
interface SharedResultValue {
  version: 1;
  manifest: PhaseManifest;
  /** Planned path → base64 content: the phase's planned files as its snapshot held them after generation. */
  files: Record<string, string>;
  /** The planned files that were executable. */
  executable: string[];
}

/** A result in the store that does not verify: the phase fails closed, generating and committing nothing. */
export class SharedResultError extends Error {
  constructor(key: string, store: RedisStore, problem: string) {
    super(
      `The result another machine published for this phase (Redis key ${key} at ${store.setting.displayUrl}) does not verify: ${problem}. ` +
        `Nothing was committed and the generator was not called. Fix: if you trust no one wrote that key by hand, delete it ` +
        `(redis-cli -u <url> DEL ${key}) and run again; the phase is then generated.`,
    );
    this.name = 'SharedResultError';
  }
}

/** `nx-phases:result:<sha256(plan file, phase number, fingerprint, snapshot hash)[0..32]>`. */
export function sharedResultKey(id: SharedResultId): string {
  return `nx-phases:result:${sha256(`${id.planFile}\n${id.phaseNumber}\n${id.fingerprint}\n${id.snapshotHash}`).slice(0, 32)}`;
}

/** Publishes a committed phase's result for other machines (before its claim is released). */
export async function publishSharedResult(store: RedisStore, id: SharedResultId, phase: Phase, snapshot: Snapshot, manifest: PhaseManifest): Promise<void> {
  const files: Record<string, string> = {};
  const executable: string[] = [];
  for (const path of phase.plannedFiles) {
    const absolute = join(snapshot.root, path);
    if (!existsSync(absolute) || !lstatSync(absolute).isFile()) continue;
    files[path] = readFileSync(absolute).toString('base64');
    if (hasExecuteBit(lstatSync(absolute).mode)) executable.push(path);
  }
  const value: SharedResultValue = { version: 1, manifest, files, executable };
  try {
    await store.client.set(sharedResultKey(id), JSON.stringify(value), 'EX', RESULT_TTL_SECONDS);
  } catch (error) {
    throw new RedisUnavailableError(store.setting, describeCause(error), 'run');
  }
}

/**
 * The result another machine committed for exactly these inputs, written into the snapshot as the generator would
 * have written it; undefined when there is none. The value is untrusted: its manifest must pass the manifest rules
 * and name this plan, phase, fingerprint and snapshot hash, every file must be a planned file, and the commit step
 * checks that the files it derives hash to the manifest's. Anything else throws SharedResultError.
 */
export async function applySharedResult(store: RedisStore, id: SharedResultId, planName: string, phase: Phase, snapshot: Snapshot): Promise<AppliedSharedResult | undefined> {
  const key = sharedResultKey(id);
  let text: string | null;
  try {
    text = await store.client.get(key);
  } catch (error) {
    throw new RedisUnavailableError(store.setting, describeCause(error), 'run');
  }
  if (text === null) return undefined;
  const fail = (problem: string): never => {
    throw new SharedResultError(key, store, problem);
  };
  if (text.length > MAX_RESULT_BYTES) fail(`it is ${text.length} bytes`);
  const value = parseValue(text) ?? fail('it is not a JSON object { version: 1, manifest, files, executable }');
  const problems = manifestProblems(value.manifest);
  if (problems.length > 0) fail(`its manifest ${problems[0]}`);
  const { manifest } = value;
  if (manifest.plan !== planName || manifest.phase.number !== id.phaseNumber) fail(`its manifest is for plan "${manifest.plan}" phase ${manifest.phase.number}`);
  if (manifest.fingerprint !== id.fingerprint) fail('its manifest records another fingerprint');
  if (manifest.snapshotHash !== id.snapshotHash) fail('its manifest records another snapshot hash');
  const planned = new Set(phase.plannedFiles);
  for (const [path, content] of Object.entries(value.files)) {
    if (!planned.has(path)) fail(`it holds ${JSON.stringify(path.slice(0, 200))}, which phase ${phase.number} does not plan`);
    if (typeof content !== 'string') fail(`the content of ${path} is not base64 text`);
  }
  for (const path of Object.keys(manifest.files)) if (!Object.hasOwn(value.files, path)) fail(`its manifest lists ${path} but the result does not hold it`);
  for (const [path, content] of Object.entries(value.files)) {
    const bytes = Buffer.from(content, 'base64');
    if (manifest.files[path] !== undefined && sha256(bytes) !== manifest.files[path]) fail(`${path} does not match its hash in the manifest`);
    assertRealFilePath(snapshot.root, path, '');
    mkdirSync(dirname(join(snapshot.root, path)), { recursive: true });
    writeFileAtomically(join(snapshot.root, path), bytes);
    chmodSync(join(snapshot.root, path), value.executable.includes(path) ? 0o755 : 0o644);
  }
  return { key, manifest };
}

/** Throws SharedResultError unless the files and contributions the commit derived are the ones the manifest records. */
export function assertSameAsPublished(applied: AppliedSharedResult, store: RedisStore, derived: { files: Record<string, string>; executable?: string[]; contributions?: Record<string, string> }): void {
  const same = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
  const { manifest } = applied;
  if (!same(derived.files, manifest.files)) throw new SharedResultError(applied.key, store, 'the files it gives are not the ones its manifest records');
  if (!same([...(derived.executable ?? [])].sort(), [...(manifest.executable ?? [])].sort())) throw new SharedResultError(applied.key, store, 'its executable files differ from its manifest');
  if (!same(derived.contributions ?? {}, manifest.contributions ?? {})) throw new SharedResultError(applied.key, store, 'its merged-file contributions differ from its manifest');
}

function parseValue(text: string): SharedResultValue | undefined {
  try {
    const value = JSON.parse(text) as SharedResultValue;
    const ok =
      typeof value === 'object' &&
      value !== null &&
      value.version === 1 &&
      typeof value.files === 'object' &&
      value.files !== null &&
      !Array.isArray(value.files) &&
      Array.isArray(value.executable) &&
      value.executable.every((path) => typeof path === 'string');
    return ok ? value : undefined;
  } catch {
    return undefined;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}
