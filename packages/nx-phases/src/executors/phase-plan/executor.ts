import { writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { logger, type ExecutorContext } from '@nx/devkit';
import { estimateDurations } from '../../report/durations';
import { buildExecutionPlan } from '../../report/execution-plan';
import { manifestDurations, readPhaseManifests } from '../../report/read-manifests';
import { renderExecutionPlanJson } from '../../report/render-json';
import { renderExecutionPlanMermaid } from '../../report/render-mermaid';
import { renderExecutionPlanText } from '../../report/render-text';
import { loadPlan } from '../../runtime/load-plan';
import type { PhasePlanExecutorOptions } from './schema';

/** Prints the plan's execution plan and, with `--format=mermaid|json`, writes `phase-plan.md|json` next to it. */
export default async function phasePlanExecutor(
  options: PhasePlanExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  try {
    const loaded = loadPlan(context.root, options.plan);
    const manifests = readPhaseManifests(context.root, loaded.appRoot, loaded.plan.phases.map((p) => p.number));
    const estimate = estimateDurations(loaded.plan, manifestDurations(manifests));
    const report = buildExecutionPlan(loaded.plan, loaded.planFile, options.parallel ?? 3, estimate);
    const text = renderExecutionPlanText(loaded.plan, report);
    logger.info(text);
    const format = options.format ?? 'text';
    if (format !== 'text') {
      const file = posix.join(loaded.appRoot, format === 'mermaid' ? 'phase-plan.md' : 'phase-plan.json');
      const content = format === 'mermaid' ? renderExecutionPlanMermaid(report, text) : renderExecutionPlanJson(report);
      writeFileSync(join(context.root, file), content);
      logger.info(`\nWrote ${file}`);
    }
    return { success: true };
  } catch (error) {
    logger.error(error instanceof Error ? error.message : String(error));
    return { success: false };
  }
}
