import { PlanError } from '../plan';
import { countedAsRunning } from './cancellation';
import { emptyUsage } from './manifest';
import { recordPhaseRun, type BlockedPhase, type PhaseRunRecord } from './run-records';
import { redactSecrets } from './redact';
import { runPipeline } from './pipeline/pipeline';
import { releaseRedisStore } from './store/store-client';
import type { PhaseRunState } from './pipeline/state';

/** Which phase to run: the workspace, the plan file (workspace-relative) and the phase number. */
export interface PhaseRunRequest {
  workspaceRoot: string;
  plan: string;
  phase: number;
  /** The fingerprint createNodes computed (the part of the cache key Nx cannot see on disk); recorded in the manifest. */
  fingerprint?: string;
  /** Re-commit the committed result instead of generating when its fingerprint and snapshot hash match (see runtime/reuse). */
  reuse?: boolean;
  /** When the task's process started (`Date.now()` clock), so the run summary counts start-up like Nx does; default: when `runPhase` started. */
  taskStartedAt?: number;
  /** The phase tasks of this run that depend on this one (asked only when it fails), so the report lists them as skipped. */
  blockedOnFailure?: () => BlockedPhase[];
  /**
   * Print the conflict fixes that added an edge to this phase (default true). The executor turns it off when the
   * plan's aggregate target is in the same run: that target prints every fix of the plan once.
   */
  warnConflicts?: boolean;
}

/**
 * Runs one phase through the pipeline (pipeline/pipeline.ts): load → claim (single flight) → snapshot → reuse →
 * generate → validate → check → atomic commit; with `reuse` set and a committed result matching these inputs, the run ends
 * at reuse. A failed phase commits nothing; its error is printed (secrets redacted) and `success` is false.
 * Shared by every runner.
 */
export function runPhase(request: PhaseRunRequest): Promise<{ success: boolean }> {
  return countedAsRunning(() => runPhaseSteps(request));
}

async function runPhaseSteps(request: PhaseRunRequest): Promise<{ success: boolean }> {
  const state: PhaseRunState = { request, started: Date.now(), usage: emptyUsage(), waits: [], checks: [], segments: [] };
  let success = false;
  try {
    await runPipeline(state);
    if (!state.done) for (const warning of state.output?.warnings ?? []) console.warn(`nx-phases: ${warning}`);
    success = true;
    return { success: true };
  } catch (error) {
    // console, not @nx/devkit's logger: loading devkit would add ~70 ms to every phase process.
    console.error(redactSecrets(describeFailure(error, request), state.apiKeyEnv));
    return { success: false };
  } finally {
    state.snapshot?.dispose();
    await state.claim?.release();
    if (state.store) releaseRedisStore();
    recordPhaseRun(request.workspaceRoot, request.plan, request.phase, runRecord(request, state, success));
  }
}

/**
 * What the run summary needs of this phase's run: times, and for a failure its usage, waits, check attempts (with
 * the last diagnostics) and blocked dependents.
 */
function runRecord(request: PhaseRunRequest, state: PhaseRunState, success: boolean): PhaseRunRecord {
  const { started, usage, waits, checks, segments, cost } = state;
  const startedAt = request.taskStartedAt ?? started;
  const record: PhaseRunRecord = { startedAt, endedAt: Math.max(startedAt, Date.now()), success };
  if (success) return record;
  const shift = Math.max(0, started - startedAt);
  let blocked: BlockedPhase[] = [];
  try {
    blocked = request.blockedOnFailure?.() ?? [];
  } catch {
    // Without the task graph the report cannot list the skipped phases; the run itself is unaffected.
  }
  return {
    ...record,
    usage: { ...usage },
    ...(cost ? { cost } : {}),
    ...(waits.length > 0 ? { waits: waits.map((wait) => ({ ...wait, fromMs: wait.fromMs + shift, toMs: wait.toMs + shift })) } : {}),
    ...(checks.length > 0 ? { checks, segments: segments.map((segment) => ({ ...segment, fromMs: segment.fromMs + shift, toMs: segment.toMs + shift })), diagnostics: state.lastDiagnostics ?? [] } : {}),
    ...(blocked.length > 0 ? { blocked } : {}),
  };
}

function describeFailure(error: unknown, options: PhaseRunRequest): string {
  const message = error instanceof Error ? error.message : String(error);
  const prefix = error instanceof PlanError ? '' : `nx-phases: phase ${options.phase} of ${options.plan} failed and committed nothing.\n`;
  const stack = process.env.NX_VERBOSE_LOGGING === 'true' && error instanceof Error ? `\n${error.stack}` : '';
  return `${prefix}${message}${stack}`;
}
