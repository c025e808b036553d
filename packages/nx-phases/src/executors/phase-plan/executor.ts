import { writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { estimateDurations } from '../../report/durations';
import { buildExecutionPlan, type ExecutionPlanReport } from '../../report/execution-plan';
import { manifestDurations, readPhaseManifests } from '../../report/read-manifests';
import { renderExecutionPlanJson } from '../../report/render-json';
import { renderExecutionPlanMermaid } from '../../report/render-mermaid';
import { renderPlanHtml } from '../../report/render-plan-html';
import { renderExecutionPlanText } from '../../report/render-text';
import { sharedFileContributors } from '../../report/shared-files';
import type { PhasePlan } from '../../plan/types';
import { estimatePlan } from '../../runtime/cost/estimate-plan';
import { loadPlan, type LoadedPlan } from '../../runtime/load-plan';
import { renderEstimateJson, renderEstimateText } from '../../report/render-estimate';

/** What `--estimate --format=json` writes next to the plan. */
const ESTIMATE_FILE = 'phase-estimate.json';
import type { PhasePlanExecutorOptions, PhasePlanFormat } from './schema';

/** The file each non-text format writes next to the plan, and how. */
const OUTPUTS: Record<Exclude<PhasePlanFormat, 'text'>, { name: string; render: (plan: PhasePlan, report: ExecutionPlanReport, text: string) => string | Promise<string> }> = {
  mermaid: { name: 'phase-plan.md', render: (_plan, report, text) => renderExecutionPlanMermaid(report, text) },
  json: { name: 'phase-plan.json', render: (_plan, report) => renderExecutionPlanJson(report) },
  html: { name: 'phase-plan.html', render: (plan, report) => renderPlanHtml(plan, report, sharedFileContributors(plan)) },
};

/**
 * Prints the plan's execution plan and, with `--format=mermaid|json|html`, writes `phase-plan.md|json|html` next to it.
 * Prints with console, never in colour: @nx/devkit's logger colours errors whenever CI is set, even into a pipe.
 */
export default async function phasePlanExecutor(
  options: PhasePlanExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  try {
    const loaded = loadPlan(context.root, options.plan);
    if (options.estimate) return printEstimate(context.root, loaded, options);
    const manifests = readPhaseManifests(context.root, loaded.appRoot, loaded.plan.phases.map((p) => p.number));
    const estimate = estimateDurations(loaded.plan, manifestDurations(manifests));
    const report = buildExecutionPlan(loaded.plan, loaded.planFile, options.parallel ?? 3, estimate);
    const text = renderExecutionPlanText(loaded.plan, report);
    console.log(text);
    const graphCommand = nxGraphCommand(context);
    if (graphCommand) console.log(`\nIn nx graph (the plan's phases and their edges as a task graph): ${graphCommand}`);
    const format = options.format ?? 'text';
    if (format !== 'text') {
      const { name, render } = OUTPUTS[format];
      const file = posix.join(loaded.appRoot, name);
      writeFileSync(join(context.root, file), await render(loaded.plan, report, text));
      console.log(`\nWrote ${file}`);
    }
    return { success: true };
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return { success: false };
  }
}

/** `--estimate`: prints the cost estimate; with `--format=json` also writes `phase-estimate.json` next to the plan. */
function printEstimate(workspaceRoot: string, loaded: LoadedPlan, options: PhasePlanExecutorOptions): { success: boolean } {
  const format = options.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    console.error(`--estimate prints text or writes JSON; --format=${format} draws the plan. Fix: use --format=json (or no --format) with --estimate.`);
    return { success: false };
  }
  const estimate = estimatePlan({ workspaceRoot, loaded, outputTokensPerFile: options.outputTokensPerFile });
  console.log(renderEstimateText(estimate));
  if (format === 'json') {
    const file = posix.join(loaded.appRoot, ESTIMATE_FILE);
    writeFileSync(join(workspaceRoot, file), renderEstimateJson(estimate));
    console.log(`\nWrote ${file}`);
  }
  return { success: true };
}

/** `npx nx run <plan project>:<aggregate target> --graph`: Nx's task graph of the plan's aggregate target is exactly its phases and edges. */
function nxGraphCommand(context: ExecutorContext): string | undefined {
  const project = context.projectName ? context.projectsConfigurations?.projects[context.projectName] : undefined;
  const aggregate = Object.entries(project?.targets ?? {}).find(([, target]) => target.executor === 'nx-phases:assemble')?.[0];
  return aggregate ? `npx nx run ${context.projectName}:${aggregate} --graph` : undefined;
}
