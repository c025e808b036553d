import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { committedAppQuality, committedPhaseAttempts } from '../../report/app-quality';
import { readPhaseManifests } from '../../report/read-manifests';
import { neededRepairText, qualityText } from '../../report/render-quality';
import { loadPlan } from '../../runtime/load-plan';
import type { VerifyExecutorOptions } from './schema';

/** Largest tsc output kept (a broken app can print a lot). */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/**
 * Type-checks the merged app with `tsc --noEmit -p <tsconfig>` (the workspace's TypeScript, from node_modules/.bin),
 * then prints the quality of the committed phases (first-pass rate, retry rate, attempts, from their manifests).
 * Fails when tsc fails; the quality line is printed either way.
 */
export default async function verifyExecutor(options: VerifyExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  let passed = false;
  try {
    passed = typeCheck(options.tsconfig, context.root);
    console.log(qualityLine(options.plan, context.root));
  } catch (error) {
    console.error(`nx-phases: verify: ${error instanceof Error ? error.message : String(error)}`);
    return { success: false };
  }
  return { success: passed };
}

/** Runs tsc and prints what it printed; true when it passed. */
function typeCheck(tsconfig: string, workspaceRoot: string): boolean {
  console.log(`> tsc --noEmit -p ${tsconfig}`);
  const result = spawnSync('tsc', ['--noEmit', '-p', tsconfig], {
    cwd: workspaceRoot,
    env: { ...process.env, PATH: `${join(workspaceRoot, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` },
    encoding: 'utf8',
    maxBuffer: MAX_OUTPUT_BYTES,
  });
  if (result.error) throw new Error(`could not run tsc (${result.error.message}). Fix: npm install -D typescript (nx g nx-phases:init adds it).`);
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (output !== '') process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
  return result.status === 0;
}

/**
 * `nx-phases: verify: shop: 14 phases committed with a check: …` and the phases that needed a repair with their
 * attempts, or how to get the figures when no phase has a check.
 */
function qualityLine(planFile: string, workspaceRoot: string): string {
  const loaded = loadPlan(workspaceRoot, planFile);
  const manifests = readPhaseManifests(workspaceRoot, loaded.appRoot, loaded.plan.phases.map((phase) => phase.number));
  const quality = committedAppQuality(manifests);
  if (!quality) return `nx-phases: verify: ${loaded.plan.name}: no committed phase ran a check, so there is no first-pass or retry rate (declare "check" in ${loaded.planFile}).`;
  const repairs = neededRepairText(committedPhaseAttempts(manifests));
  return [`nx-phases: verify: ${loaded.plan.name}: ${qualityText(quality, 'committed')}`, ...(repairs ? [`nx-phases: verify: ${loaded.plan.name}: ${repairs}`] : [])].join('\n');
}
