import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildAndPackPlugin } from '../../../packages/nx-phases-e2e/src/utils/plugin-package';
import type { E2eWorkspace } from '../../../packages/nx-phases-e2e/src/utils/e2e-workspace';
import { createScenarioWorkspace } from '../../../packages/nx-phases-e2e/src/utils/workspace-factory';
import { createTemplateWorkspace } from '../../../packages/nx-phases-e2e/src/utils/template-workspace';
import type { E2eState } from '../../../packages/nx-phases-e2e/src/utils/e2e-state';

/** The repository root. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** A benchmark's temp area: the packed plugin installed once, scenario workspaces created from it. */
export interface BenchArea {
  state: E2eState;
  /** A fresh workspace sharing the installed node_modules. */
  workspace(name: string): E2eWorkspace;
  dispose(): void;
}

/**
 * Builds and packs the plugin and installs it in a temp workspace, exactly as the e2e suite does.
 * `dispose()` removes the temp folder unless KEEP_BENCH=1.
 */
export function prepareBenchArea(label: string): BenchArea {
  const tempRoot = mkdtempSync(join(tmpdir(), `nx-phases-bench-${label}-`));
  const timings: Record<string, number> = {};
  const tarball = buildAndPackPlugin(REPO_ROOT, join(tempRoot, 'pack'), timings);
  const templateWorkspace = join(tempRoot, 'workspace');
  createTemplateWorkspace(templateWorkspace, tarball);
  const state: E2eState = { tempRoot, templateWorkspace, tarball, phaseCommandScript: '', nxJsonAfterInit: ['', ''], timings };
  return {
    state,
    workspace: (name) => createScenarioWorkspace(state, name),
    dispose: () => {
      if (process.env.KEEP_BENCH !== '1') rmSync(tempRoot, { recursive: true, force: true });
    },
  };
}

/** Writes a plan file into a workspace. */
export function writePlan(ws: E2eWorkspace, appRoot: string, plan: object): void {
  mkdirSync(ws.path(appRoot), { recursive: true });
  writeFileSync(ws.path(appRoot, 'phases.json'), JSON.stringify(plan, null, 2));
}

/** Wall-clock seconds of a synchronous step. */
export function seconds(step: () => void): number {
  const started = process.hrtime.bigint();
  step();
  return Number(process.hrtime.bigint() - started) / 1e9;
}
