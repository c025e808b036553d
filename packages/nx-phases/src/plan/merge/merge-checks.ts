import { childPath } from '../json-path';
import { SHARED_CONTEXT, type PathOccurrence } from '../path-collisions';
import { checkPlanPath, normalizePlanPath } from '../paths';
import { createReachability } from '../reachability';
import type { Finding } from '../schema-validate';
import type { MergeStrategy, Phase, PhasePlan } from '../types';
import { strategyMisfit } from './file-kinds';
import { MERGE_STRATEGIES } from './types';

/**
 * Checks the plan's `merge` declarations that the schema cannot: unsafe or duplicated paths, shared context files
 * (read-only, so never merged), strategies that do not fit the file type, and files no phase plans.
 * `occurrences` are the plan's valid context and planned paths. Skips values of the wrong type.
 */
export function checkMergeDeclarations(merge: unknown, planFileName: string, occurrences: readonly PathOccurrence[]): Finding[] {
  if (typeof merge !== 'object' || merge === null || Array.isArray(merge)) return [];
  const findings: Finding[] = [];
  const context = new Set(occurrences.filter((o) => o.owner === SHARED_CONTEXT).map((o) => o.path));
  const planned = new Set(occurrences.filter((o) => o.owner !== SHARED_CONTEXT).map((o) => o.path));
  const seen = new Map<string, string>();
  for (const [raw, strategy] of Object.entries(merge as Record<string, unknown>)) {
    const path = childPath('merge', raw);
    const issue = raw === '' ? { message: 'The file name is empty.', hint: 'Write an app-root-relative path, e.g. "package.json".' } : checkPlanPath(raw, planFileName);
    if (issue) {
      findings.push({ path, ...issue });
      continue;
    }
    const file = normalizePlanPath(raw);
    if (seen.has(file)) {
      findings.push({ path, message: `${JSON.stringify(file)} is already declared at ${seen.get(file)}.`, hint: 'Remove the duplicate entry.' });
      continue;
    }
    seen.set(file, path);
    if (context.has(file)) {
      findings.push({
        path,
        message: `${JSON.stringify(file)} is a shared context file, which is read-only for every phase, so it cannot be merged.`,
        hint: `Remove it from "merge", or remove it from "context" and let phases add to it.`,
      });
    } else if (!planned.has(file)) {
      findings.push({ path, message: `No phase plans ${JSON.stringify(file)}, so there is nothing to merge.`, hint: notPlannedHint(file, planned) });
    }
    const misfit = typeof strategy === 'string' && isStrategy(strategy) ? strategyMisfit(file, strategy) : undefined;
    if (misfit) findings.push({ path, ...misfit });
  }
  return findings;
}

/**
 * Checks what needs the dependency graph: the text outside the regions of a `regions` file comes from the one
 * phase that creates it, so every other phase that plans it must depend on that phase (see `regionsCreator`).
 */
export function checkRegionsCreators(plan: PhasePlan, jsonPathOfPhase: (n: number) => string): Finding[] {
  const findings: Finding[] = [];
  for (const [file, strategy] of Object.entries(plan.merge ?? {})) {
    if (strategy !== 'regions') continue;
    const planners = plannersOf(plan, file);
    if (planners.length < 2 || regionsCreator(plan, file) !== undefined) continue;
    const reachability = createReachability(plan);
    const dependents = (p: (typeof planners)[number]) => planners.filter((o) => reachability.reaches(p.number, o.number)).length;
    const creator = planners.reduce((best, p) => (dependents(p) > dependents(best) ? p : best));
    const missing = planners.filter((p) => p !== creator && !reachability.reaches(creator.number, p.number)).map((p) => p.number);
    findings.push({
      path: childPath('merge', file),
      message:
        `${JSON.stringify(file)} is merged as regions: the text outside its regions comes from the one phase that creates it, ` +
        `and every other phase that plans it must depend on that phase, but ${missing.map((n) => `phase ${n}`).join(', ')} ` +
        `${missing.length === 1 ? 'does' : 'do'} not depend on phase ${creator.number} (${creator.name}) and no other planner comes before all the others.`,
      hint: `Add ${creator.number} to the dependencies of ${missing.map((n) => `phase ${n} (${jsonPathOfPhase(n)}.dependencies)`).join(', ')}, or let another phase that every planner depends on create the file.`,
    });
  }
  return findings;
}

/** The phase that creates a `regions` file: the one planner every other planner depends on (directly or not). */
export function regionsCreator(plan: PhasePlan, file: string): number | undefined {
  const planners = plannersOf(plan, file);
  const reachability = createReachability(plan);
  return planners.find((candidate) => planners.every((other) => other === candidate || reachability.reaches(candidate.number, other.number)))?.number;
}

/** The strategy of a file in the plan's `merge`, or undefined when the file is owned by one phase. */
export function mergeStrategyOf(plan: PhasePlan, file: string): MergeStrategy | undefined {
  return plan.merge && Object.prototype.hasOwnProperty.call(plan.merge, file) ? plan.merge[file] : undefined;
}

/** `{ merge }` with the strategies of the phase's planned files that are mergeable, or `{}` when none is. */
export function plannedMergeStrategies(plan: PhasePlan, phase: Phase): { merge?: Record<string, MergeStrategy> } {
  const entries = phase.plannedFiles.flatMap((file) => {
    const strategy = mergeStrategyOf(plan, file);
    return strategy ? [[file, strategy] as const] : [];
  });
  return entries.length > 0 ? { merge: Object.fromEntries(entries) } : {};
}

function plannersOf(plan: PhasePlan, file: string) {
  return plan.phases.filter((phase) => phase.plannedFiles.includes(file));
}

function isStrategy(value: string): value is MergeStrategy {
  return (MERGE_STRATEGIES as readonly string[]).includes(value);
}

function notPlannedHint(file: string, planned: Set<string>): string {
  const lower = file.toLowerCase();
  const base = lower.split('/').pop();
  const similar = [...planned].sort().find((p) => p.toLowerCase() === lower) ?? [...planned].sort().find((p) => p.toLowerCase().split('/').pop() === base);
  return similar
    ? `Did you mean ${JSON.stringify(similar)}? Declare the path exactly as phases plan it.`
    : 'Add it to the plannedFiles of the phases that write it, or remove it from "merge".';
}
