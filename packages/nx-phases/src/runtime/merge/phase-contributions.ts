import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractContribution, ForbiddenEditError, mergeStrategyOf, regionsCreator } from '../../plan';
import type { Phase, PhasePlan } from '../../plan/types';
import { PhaseOutputError, type PhaseLocation, type PhaseOutput } from '../validate-output';
import type { PhaseContributions } from './contribution-record';
import { phaseLabel } from './collect';

/** A validated phase output split into files the phase owns (committed) and what it added to mergeable files (recorded). */
export interface SplitOutput {
  owned: PhaseOutput;
  contributions: PhaseContributions;
}

/**
 * Turns the phase's version of every mergeable file it wrote into its contribution: what it added to the merged
 * file its snapshot held (`base`). Such files leave the owned output: they are never committed as they are.
 * A forbidden edit (a removal, a changed value, an edit outside a region) throws `PhaseOutputError` naming the
 * phase, the file and the entry, so nothing is committed.
 */
export function splitContributions(
  output: PhaseOutput,
  snapshot: { root: string; mergedBase: Map<string, string> },
  plan: PhasePlan,
  phase: Phase,
  where: PhaseLocation,
): SplitOutput {
  const contributions: PhaseContributions = new Map();
  const problems: string[] = [];
  for (const file of output.written) {
    const strategy = mergeStrategyOf(plan, file);
    if (!strategy) continue;
    const base = snapshot.mergedBase.get(file);
    const creator = strategy === 'regions' ? regionsCreator(plan, file) : undefined;
    if (strategy === 'regions' && base === undefined && creator !== phase.number) {
      const creatorPhase = plan.phases.find((p) => p.number === creator);
      problems.push(
        `${file} is merged as regions and created by ${creatorPhase ? phaseLabel(creatorPhase) : 'no single phase'}, but its snapshot has no ${file} to add to (the creating phase did not write it). ` +
          `Fix: let the creating phase write it, or remove ${JSON.stringify(file)} from ${where.jsonPath}.plannedFiles in ${where.planFile}.`,
      );
      continue;
    }
    try {
      contributions.set(file, extractContribution(file, strategy, base, readFileSync(join(snapshot.root, file), 'utf8')));
    } catch (error) {
      if (!(error instanceof ForbiddenEditError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0) {
    throw new PhaseOutputError(`${phaseLabel(phase)} edited mergeable files in ways it may not, so nothing was committed:\n${problems.join('\n')}`);
  }
  const written = output.written.filter((file) => !contributions.has(file));
  const hashes = Object.fromEntries(Object.entries(output.hashes).filter(([file]) => !contributions.has(file)));
  return { owned: { ...output, written, hashes }, contributions };
}
