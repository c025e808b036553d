import { checkResolvedGenerator, effectiveGenerator, PlanError } from '../plan';
import type { ResolvedGenerator } from '../plan/types';
import { commitPhase } from './atomic-commit';
import { cancellationSignal, throwIfCancelled } from './cancellation';
import { walkFiles } from './file-walk';
import { findPhase, loadPlan } from './load-plan';
import { emptyUsage, type PhaseManifest } from './manifest';
import { counted } from './counted';
import { obsoleteFiles } from './obsolete-files';
import { runPhaseGenerator } from './run-generator';
import { recordPhaseRun, type BlockedPhase, type PhaseRunRecord } from './run-records';
import { redactSecrets } from './redact';
import { buildSnapshot, type Snapshot } from './snapshot';
import { validatePhaseOutput, type PhaseOutput } from './validate-output';
import { contributionHashes, contributionsText, type PhaseContributions } from './merge/contribution-record';
import { splitContributions } from './merge/phase-contributions';
import type { GeneratorUsage, PhaseWait } from './phase-generator';
import { PhaseProgress } from './progress';
import { reuseCommittedResult } from './reuse/reuse-step';
import { claimPhase, type PhaseClaim } from './single-flight/phase-claim';

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
 * Runs one phase: claim (single flight) → snapshot → generate → validate → atomic commit, or, when `reuse` is set
 * and its committed result matches these inputs, re-commit that result instead of generating. A failed phase
 * commits nothing; its error is printed (secrets redacted) and `success` is false. Shared by every runner.
 */
export async function runPhase(request: PhaseRunRequest): Promise<{ success: boolean }> {
  const started = Date.now();
  const { workspaceRoot } = request;
  let snapshot: Snapshot | undefined;
  let claim: PhaseClaim | undefined;
  let apiKeyEnv: unknown;
  let success = false;
  const usage: GeneratorUsage = emptyUsage();
  const waits: PhaseWait[] = [];
  try {
    const loaded = loadPlan(workspaceRoot, request.plan);
    const phase = findPhase(loaded, request.phase);
    // Printed by the phase that received the edge, so it reaches the terminal with the Nx daemon on or off, unless
    // the plan's aggregate target runs too (it prints every fix once).
    if (request.warnConflicts ?? true) {
      for (const edge of loaded.plan.addedEdges.filter((e) => e.to === phase.number)) console.warn(`nx-phases: ${loaded.planFile}: ${edge.reason}`);
    }
    const generator = effectiveGenerator(loaded.plan, phase);
    apiKeyEnv = generator.options.apiKeyEnv;
    const where = { planFile: loaded.planFile, jsonPath: loaded.jsonPaths.get(phase.number) ?? 'phases' };
    assertGeneratorRunnable(loaded.planFile, generator, phase.generator ? `${where.jsonPath}.generator` : 'generator');
    let output: PhaseOutput = { written: [], hashes: {}, executable: [], warnings: [] };
    claim = await claimPhase({ workspaceRoot, planFile: loaded.planFile, phaseNumber: phase.number, signal: cancellationSignal() });
    const fixHint = `Fix: make it a real folder or file inside the app root, or change ${where.jsonPath}.plannedFiles in ${loaded.planFile}.`;
    let contributions: PhaseContributions = new Map();
    await new PhaseProgress()
      .add('Snapshot', (title) => {
        snapshot = buildSnapshot({ workspaceRoot, appRoot: loaded.appRoot, plan: loaded.plan, phase });
        title(`Snapshot (${counted(snapshot.files.size, 'file')} from ${counted(snapshot.dependencies.length, 'phase')})`);
      })
      .run();
    if (request.reuse && (await reuseCommittedResult({ workspaceRoot, loaded, phase, fingerprint: request.fingerprint, snapshot: snapshot!, fixHint }))) {
      success = true;
      return { success: true };
    }
    await new PhaseProgress()
      .add(`Generating with ${generator.use}`, (title) =>
        runPhaseGenerator({ workspaceRoot, loaded, phase, generator, snapshot: snapshot!, usage, waits, startedAt: started, where, progress: title }),
      )
      .add('Validating', (title) => {
        const validated = validatePhaseOutput(snapshot!.files, walkFiles(snapshot!.root), phase, where);
        ({ owned: output, contributions } = splitContributions(validated, snapshot!, loaded.plan, phase, where));
        const added = contributions.size > 0 ? `, added to ${counted(contributions.size, 'merged file')}` : '';
        title(`Validating (${counted(output.written.length, 'file')} written${added})`);
      })
      .add('Committing', async (title) => {
        throwIfCancelled();
        claim!.assertHeld();
        const manifest: PhaseManifest = {
          plan: loaded.plan.name,
          phase: { number: phase.number, name: phase.name },
          files: output.hashes,
          ...(output.executable.length > 0 ? { executable: output.executable } : {}),
          features: phase.features,
          snapshotHash: snapshot!.hash,
          ...(request.fingerprint ? { fingerprint: request.fingerprint } : {}),
          generator,
          durationMs: Date.now() - started,
          usage,
          ...(waits.length > 0 ? { waits } : {}),
          warnings: output.warnings,
          ...(contributions.size > 0 ? { contributions: contributionHashes(contributions) } : {}),
        };
        await commitPhase({
          workspaceRoot,
          appRoot: loaded.appRoot,
          phaseNumber: phase.number,
          snapshotRoot: snapshot!.root,
          written: output.written,
          obsolete: obsoleteFiles(workspaceRoot, loaded, phase, output.written),
          manifest,
          contributions: contributions.size > 0 ? contributionsText(contributions) : undefined,
          fixHint,
        });
        title(`Committing (${counted(output.written.length, 'file')})`);
      })
      .run();
    for (const warning of output.warnings) console.warn(`nx-phases: ${warning}`);
    success = true;
    return { success: true };
  } catch (error) {
    // console, not @nx/devkit's logger: loading devkit would add ~70 ms to every phase process.
    console.error(redactSecrets(describeFailure(error, request), apiKeyEnv));
    return { success: false };
  } finally {
    snapshot?.dispose();
    claim?.release();
    recordPhaseRun(workspaceRoot, request.plan, request.phase, runRecord(request, started, success, usage, waits));
  }
}

/**
 * Checks the generator's name and options again before anything is claimed, written or sent (the stored plan may come
 * from another process); throws a `PlanError` naming the plan file and the JSON path.
 */
function assertGeneratorRunnable(planFile: string, generator: ResolvedGenerator, jsonPath: string): void {
  const findings = checkResolvedGenerator(generator, jsonPath);
  if (findings.length > 0) throw new PlanError(findings.map((finding) => ({ file: planFile, ...finding })));
}

/** What the run summary needs of this phase's run: times, and for a failure its usage, waits and blocked dependents. */
function runRecord(request: PhaseRunRequest, started: number, success: boolean, usage: GeneratorUsage, waits: PhaseWait[]): PhaseRunRecord {
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
    ...(waits.length > 0 ? { waits: waits.map((wait) => ({ kind: wait.kind, fromMs: wait.fromMs + shift, toMs: wait.toMs + shift })) } : {}),
    ...(blocked.length > 0 ? { blocked } : {}),
  };
}

function describeFailure(error: unknown, options: PhaseRunRequest): string {
  const message = error instanceof Error ? error.message : String(error);
  const prefix = error instanceof PlanError ? '' : `nx-phases: phase ${options.phase} of ${options.plan} failed and committed nothing.\n`;
  const stack = process.env.NX_VERBOSE_LOGGING === 'true' && error instanceof Error ? `\n${error.stack}` : '';
  return `${prefix}${message}${stack}`;
}
