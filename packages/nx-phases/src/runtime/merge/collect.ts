import { mergeContributions, type RecordedContribution } from '../../plan';
import type { Phase, PhasePlan } from '../../plan/types';
import { readManifest } from '../manifest';
import { hashContribution, readPhaseContributions } from './contribution-record';

/** A plan's app, and which of its phases' records to read. */
export interface CollectRequest {
  workspaceRoot: string;
  appRoot: string;
  plan: PhasePlan;
  /** The phases whose contributions count (a snapshot: the transitive dependencies; the app: every phase). */
  phases: readonly number[];
}

/** Every recorded contribution of the requested phases, by mergeable file (phases that plan none are not read). */
export function collectContributions(request: CollectRequest): Map<string, RecordedContribution[]> {
  const { workspaceRoot, appRoot, plan } = request;
  const mergeable = new Set(Object.keys(plan.merge ?? {}));
  const byNumber = new Map(plan.phases.map((phase) => [phase.number, phase]));
  const grouped = new Map<string, RecordedContribution[]>([...mergeable].map((file) => [file, []]));
  for (const number of request.phases) {
    const phase = byNumber.get(number)!;
    if (!phase.plannedFiles.some((file) => mergeable.has(file))) continue;
    const manifest = readManifest({ workspaceRoot, appRoot, phaseNumber: number }, phaseLabel(phase));
    for (const [file, contribution] of readPhaseContributions({ workspaceRoot, appRoot, plan, phase, manifest })) {
      grouped.get(file)!.push({ by: { number: phase.number, name: phase.name }, contribution });
    }
  }
  return grouped;
}

/**
 * The merged text of every mergeable file that has contributions (files in sorted order), plus who contributed
 * what as `[phase, file, hash]` triples for cache digests. Throws `MergeConflictError` on the first conflict.
 */
export function mergeCollected(plan: PhasePlan, grouped: Map<string, RecordedContribution[]>): { merged: Map<string, string>; attribution: Array<[number, string, string]> } {
  const merged = new Map<string, string>();
  const attribution: Array<[number, string, string]> = [];
  for (const [file, strategy] of Object.entries(plan.merge ?? {})) {
    const recorded = grouped.get(file) ?? [];
    const text = mergeContributions(file, strategy, recorded);
    if (text === undefined) continue;
    merged.set(file, text);
    for (const { by, contribution } of [...recorded].sort((a, b) => a.by.number - b.by.number)) attribution.push([by.number, file, hashContribution(contribution)]);
  }
  return { merged, attribution };
}

/** `Phase 3 (Auth)`. */
export function phaseLabel(phase: Pick<Phase, 'number' | 'name'>): string {
  return `Phase ${phase.number} (${phase.name})`;
}
