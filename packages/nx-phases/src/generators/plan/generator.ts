import { logger, type Tree } from '@nx/devkit';
import { parsePlan, PlanError, reduceDependencies, resolveConflicts } from '../../plan';
import type { PhasePlan, PlanDocument } from '../../plan/types';
import { buildExecutionPlan } from '../../report/execution-plan';
import { renderExecutionPlanText } from '../../report/render-text';
import { PLAN_FILE } from '../../constants';
import { assertPlanIsNew } from './existing-plans';
import { PlanOptionsError } from './errors';
import { normalizePlanOptions } from './options';
import { buildPlanDocument } from './plan-document';
import type { PlanGeneratorOptions } from './schema';

/**
 * `nx g nx-phases:plan <name> --features=… [--auth] [--database] [--directory=apps/<name>]`: writes
 * `<directory>/phases.json` with predicted files, conflict edges and direct dependencies only (no edge another
 * dependency implies), and prints the execution plan.
 * Only the tree is written, so `--dry-run` writes nothing.
 */
export async function planGenerator(tree: Tree, rawOptions: PlanGeneratorOptions): Promise<void> {
  const options = normalizePlanOptions(rawOptions);
  const planFile = `${options.directory}/${PLAN_FILE}`;
  assertPlanIsNew(tree, planFile, options.name, options.directory);
  const document = buildPlanDocument(options);
  const plan = resolveConflicts(parseOwnDocument(document, planFile));
  for (const edge of plan.addedEdges) console.warn(`nx-phases: ${planFile}: ${edge.reason}`); // uncoloured, also under CI
  tree.write(planFile, `${JSON.stringify(withAddedEdges(document, plan), null, 2)}\n`);
  logger.info(renderExecutionPlanText(plan, buildExecutionPlan(plan, planFile, 3, undefined)));
  logger.info(`\nNext: npx nx run-many -t phase -p tag:phase-plan:${options.name} --parallel=3`);
}

/** Validates the planned document with the same parser the plugin uses. */
function parseOwnDocument(document: PlanDocument, planFile: string): PhasePlan {
  try {
    return parsePlan(JSON.stringify(document), planFile);
  } catch (error) {
    if (error instanceof PlanError) throw new PlanOptionsError(`the options produce an invalid plan.\n${error.message}`);
    throw error;
  }
}

/**
 * The document with each phase's direct dependencies: the transitive reduction of the conflict-resolved plan.
 * Every phase still runs after (and its snapshot still sees) exactly the same phases; only implied edges go.
 */
function withAddedEdges(document: PlanDocument, plan: PhasePlan): PlanDocument {
  const direct = new Map<number, number[]>(plan.phases.map((phase) => [phase.number, []]));
  for (const edge of reduceDependencies(plan).direct) direct.get(edge.to)!.push(edge.from);
  return { ...document, phases: document.phases.map((phase) => ({ ...phase, dependencies: direct.get(phase.number)! })) };
}

export default planGenerator;
