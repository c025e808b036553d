import type { CallCost } from '../cost';
import { plannedMergeStrategies } from '../plan';
import type { Phase, ResolvedGenerator } from '../plan/types';
import type { LoadedPlan } from './load-plan';
import { FsTree, flushChanges } from './nx-tree';
import type { GeneratorUsage, PhaseGeneratorOptions, PhaseRuntime, PhaseWait } from './phase-generator';
import { resolveMaxCostUsd } from './budget/budget-config';
import { cancellationSignal, throwIfCancelled } from './cancellation';
import { resolveGenerator } from './resolve-generator';
import type { Snapshot } from './snapshot';
import { assertPathsStayInside, type PhaseLocation } from './validate-output';

/** Everything needed to run a phase generator on a snapshot. */
export interface GeneratorRun {
  workspaceRoot: string;
  loaded: LoadedPlan;
  phase: Phase;
  generator: ResolvedGenerator;
  snapshot: Snapshot;
  usage: GeneratorUsage;
  /** Called with each call's cost the generator reports. */
  recordCost: (call: CallCost) => void;
  /** Waits the generator reports, relative to `startedAt`. */
  waits: PhaseWait[];
  /** `Date.now()` when the phase's run started (the manifest's `durationMs` clock). */
  startedAt: number;
  where: PhaseLocation;
  progress: (title: string) => void;
  /** Set when this run repairs a failed check. */
  repair?: import('./phase-generator').PhaseRepair;
}

/** Calls the phase generator on an FsTree rooted at the snapshot and flushes its changes there. */
export async function runPhaseGenerator(run: GeneratorRun): Promise<void> {
  const { workspaceRoot, loaded, phase, generator, snapshot } = run;
  const generatorPath = phase.generator ? `${run.where.jsonPath}.generator` : 'generator';
  const implementation = resolveGenerator(generator.use, workspaceRoot, loaded.planFile);
  const tree = new FsTree(snapshot.root, false);
  const maxCost = resolveMaxCostUsd(loaded.plan.maxCostUsd, loaded.planFile);
  const runtime: PhaseRuntime = {
    workspaceRoot,
    snapshotRoot: snapshot.root,
    rateLimit: loaded.plan.rateLimit,
    progress: run.progress,
    recordUsage: (delta) => addUsage(run.usage, delta),
    recordWait: (kind, startedAt, endedAt) => recordWait(run, kind, startedAt, endedAt),
    recordCost: run.recordCost,
    signal: cancellationSignal(),
    where: { planFile: loaded.planFile, jsonPath: `${generatorPath}.options` },
    ...(run.repair ? { repair: run.repair } : {}),
    ...(maxCost ? { maxCost } : {}),
  };
  const options: PhaseGeneratorOptions = {
    ...generator.options,
    plan: { name: loaded.plan.name, appRoot: loaded.appRoot, ...plannedMergeStrategies(loaded.plan, phase) },
    phase,
    dependencies: snapshot.dependencies,
    context: snapshot.context,
    runtime,
  };
  await implementation(tree, options);
  throwIfCancelled();
  const changes = tree.listChanges();
  assertPathsStayInside(changes.map((c) => c.path), phase, run.where);
  flushChanges(snapshot.root, changes);
}

function recordWait(run: GeneratorRun, kind: PhaseWait['kind'], startedAt: number, endedAt: number): void {
  const fromMs = Math.max(0, Math.round(startedAt - run.startedAt));
  const toMs = Math.max(fromMs, Math.round(endedAt - run.startedAt));
  if (toMs > fromMs) run.waits.push({ kind, fromMs, toMs });
}

function addUsage(total: GeneratorUsage, delta: Partial<GeneratorUsage>): void {
  for (const key of Object.keys(total) as Array<keyof GeneratorUsage>) total[key] += delta[key] ?? 0;
}

