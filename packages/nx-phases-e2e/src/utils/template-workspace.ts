import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitInitWithCommit } from './git';
import { nxEnv } from './nx-env';
import { runProcess } from './run-process';

/** The Nx version the plugin is built for; the temp workspace installs exactly this. */
export const NX_VERSION = '23.3.1';

/**
 * Creates a fresh workspace (private package.json, `{}` nx.json, git), installs nx, @nx/devkit and the
 * plugin tarball with npm, then runs `nx g nx-phases:init` twice. Returns nx.json after each init.
 */
export function createTemplateWorkspace(root: string, tarball: string): [string, string] {
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'nx-phases-e2e-workspace', version: '0.0.0', private: true }, null, 2) + '\n');
  writeFileSync(join(root, 'nx.json'), '{}\n');
  writeFileSync(join(root, '.gitignore'), 'node_modules\n.nx\n');
  gitInitWithCommit(root, 'empty workspace');
  runProcess(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', `nx@${NX_VERSION}`, `@nx/devkit@${NX_VERSION}`, tarball],
    { cwd: root, timeoutMs: 600_000 },
  );
  return [runInit(root), runInit(root)];
}

function runInit(root: string): string {
  runProcess('npx', ['nx', 'g', 'nx-phases:init', '--no-interactive'], { cwd: root, env: nxEnv() });
  return readFileSync(join(root, 'nx.json'), 'utf8');
}
