import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parsePlan, phaseJsonPaths, resolveConflicts } from '../plan';
import type { Phase, PhasePlan } from '../plan/types';
import { readResolvedPlan, storeResolvedPlan } from './resolved-plan-store';

/** A plan read from disk with conflicts resolved, plus where it lives. */
export interface LoadedPlan {
  plan: PhasePlan;
  /** Workspace-relative path of `phases.json`. */
  planFile: string;
  /** Workspace-relative app root (the plan's folder; `.` for a plan at the workspace root). */
  appRoot: string;
  /** Phase number → JSON path of that phase in the file, e.g. `phases[2]`. */
  jsonPaths: Map<number, string>;
}

/**
 * Reads, validates and conflict-resolves a plan (throws `PlanError` with every problem), reusing the result
 * stored for the same text by createNodes or an earlier phase process.
 */
export function loadPlan(workspaceRoot: string, planFile: string): LoadedPlan {
  const text = readFileSync(join(workspaceRoot, planFile), 'utf8');
  const key = `${workspaceRoot}\0${planFile}`;
  const memo = loadedInProcess.get(key);
  if (memo?.text === text) return memo.loaded;
  const loaded = loadPlanText(workspaceRoot, planFile, text);
  loadedInProcess.set(key, { text, loaded });
  return loaded;
}

/**
 * The last plan loaded per workspace and plan file in this process, with its text: a batch worker runs many phases
 * of one plan, and must neither re-read the stored plan nor rebuild its reachability index (cached per plan object)
 * for each of them. Plans are treated as immutable.
 */
const loadedInProcess = new Map<string, { text: string; loaded: LoadedPlan }>();

function loadPlanText(workspaceRoot: string, planFile: string, text: string): LoadedPlan {
  const stored = readResolvedPlan(workspaceRoot, planFile, text);
  if (stored) return { plan: stored.plan, planFile, appRoot: appRootOf(planFile), jsonPaths: new Map(stored.jsonPaths) };
  const loaded = parsePlanText(text, planFile);
  rememberResolvedPlan(workspaceRoot, text, loaded);
  return loaded;
}

/** Stores a freshly parsed plan so that phase processes need not parse it again. */
export function rememberResolvedPlan(workspaceRoot: string, text: string, loaded: LoadedPlan): void {
  storeResolvedPlan(workspaceRoot, loaded.planFile, text, { plan: loaded.plan, jsonPaths: [...loaded.jsonPaths] });
}

/** Parses plan text that was already read (createNodes hashes it first). */
export function parsePlanText(text: string, planFile: string): LoadedPlan {
  const plan = resolveConflicts(parsePlan(text, planFile));
  return { plan, planFile, appRoot: appRootOf(planFile), jsonPaths: phaseJsonPaths(text) };
}

function appRootOf(planFile: string): string {
  return posix.dirname(planFile.replace(/\\/g, '/'));
}

/** Looks a phase up by number, with a clear error for a stale or wrong number. */
export function findPhase(loaded: LoadedPlan, phaseNumber: number): Phase {
  const phase = loaded.plan.phases.find((p) => p.number === phaseNumber);
  if (!phase) throw new Error(`${loaded.planFile} has no phase with "number": ${phaseNumber}. Check the executor's "phase" option.`);
  return phase;
}
