import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { saveState, type E2eState } from './utils/e2e-state';
import { keepTempFolders } from './utils/nx-env';
import { installPhaseCommand } from './utils/phase-command';
import { buildPlugin, packPlugin } from './utils/plugin-package';
import { createTemplateWorkspace } from './utils/template-workspace';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** Builds and packs the plugin, installs it in one fresh temp workspace and runs init, once for every e2e file. */
export default async function globalSetup(): Promise<void> {
  const tempRoot = mkdtempSync(join(tmpdir(), 'nx-phases-e2e-'));
  const timings: Record<string, number> = {};
  const timed = <T>(label: string, step: () => T): T => {
    const started = Date.now();
    try {
      return step();
    } finally {
      timings[label] = (Date.now() - started) / 1000;
    }
  };
  try {
    const dist = join(tempRoot, 'dist', 'nx-phases');
    timed('build', () => buildPlugin(REPO_ROOT, dist));
    const tarball = timed('pack', () => packPlugin(dist, join(tempRoot, 'pack')));
    const templateWorkspace = join(tempRoot, 'workspace');
    const nxJsonAfterInit = timed('install+init', () => createTemplateWorkspace(templateWorkspace, tarball));
    const phaseCommandScript = installPhaseCommand(join(tempRoot, 'tools', 'phase-command.js'));
    const state: E2eState = { tempRoot, templateWorkspace, tarball, phaseCommandScript, nxJsonAfterInit, timings };
    saveState(join(tempRoot, 'state.json'), state);
    process.stdout.write(`\nnx-phases e2e: workspace ready in ${tempRoot} (${JSON.stringify(timings)})\n`);
  } catch (error) {
    if (!keepTempFolders()) rmSync(tempRoot, { recursive: true, force: true });
    throw error;
  }
}
