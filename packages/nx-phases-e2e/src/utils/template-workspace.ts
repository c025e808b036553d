import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { gitInitWithCommit } from './git';
import { E2eWorkspace } from './e2e-workspace';
import { runProcess } from './run-process';

/**
 * The Nx version of this repository's own workspace (its @nx/js build pins nx 23.3.1, see the README's
 * Compatibility); the shared temp workspace of every e2e file installs exactly this. The oldest and the newest Nx the
 * plugin supports are tested in fresh workspaces by first-hour.e2e.spec.ts (see nx-matrix.ts).
 */
const NX_VERSION = '23.3.1';

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
  const home = join(root, '..', 'homes', 'template');
  mkdirSync(home, { recursive: true });
  runProcess(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', `nx@${NX_VERSION}`, `@nx/devkit@${NX_VERSION}`, tarball],
    { cwd: root, env: npmEnvWithHome(home), timeoutMs: 600_000 },
  );
  const workspace = new E2eWorkspace(root, home);
  return [runInit(workspace), runInit(workspace)];
}

/**
 * npm's environment with HOME moved (nx's postinstall creates `~/.nx/<repo id>/`, which must stay in the
 * suite's temp folder) while npm keeps using the user's real cache and .npmrc.
 */
export function npmEnvWithHome(home: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: home,
    npm_config_cache: process.env.npm_config_cache ?? join(homedir(), '.npm'),
    npm_config_userconfig: process.env.npm_config_userconfig ?? join(homedir(), '.npmrc'),
  };
}

/** `nx g nx-phases:init` with the workspace's own nx, then nx.json as it left it. */
function runInit(workspace: E2eWorkspace): string {
  workspace.nx(['g', 'nx-phases:init', '--no-interactive']);
  return readFileSync(workspace.path('nx.json'), 'utf8');
}
