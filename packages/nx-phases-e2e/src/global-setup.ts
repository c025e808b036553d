import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { saveState, type E2eState } from './utils/e2e-state';
import { keepTempFolders } from './utils/nx-env';
import { installPhaseCommand } from './utils/phase-command';
import { buildAndPackPlugin, timed } from './utils/plugin-package';
import { createTemplateWorkspace } from './utils/template-workspace';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** Builds and packs the plugin, installs it in one fresh temp workspace and runs init, once for every e2e file. */
export default async function globalSetup(): Promise<void> {
  const tempRoot = mkdtempSync(join(tmpdir(), 'nx-phases-e2e-'));
  const timings: Record<string, number> = {};
  try {
    const tarball = buildAndPackPlugin(REPO_ROOT, join(tempRoot, 'pack'), timings);
    const templateWorkspace = join(tempRoot, 'workspace');
    const nxJsonAfterInit = timed(timings, 'install+init', () => createTemplateWorkspace(templateWorkspace, tarball));
    const phaseCommandScript = installPhaseCommand(join(tempRoot, 'tools', 'phase-command.js'));
    const state: E2eState = { tempRoot, templateWorkspace, tarball, phaseCommandScript, nxJsonAfterInit, timings };
    saveState(join(tempRoot, 'state.json'), state);
    process.stdout.write(`\nnx-phases e2e: workspace ready in ${tempRoot} (seconds: ${JSON.stringify(timings)})\n`);
  } catch (error) {
    if (!keepTempFolders()) rmSync(tempRoot, { recursive: true, force: true });
    throw error;
  }
}
