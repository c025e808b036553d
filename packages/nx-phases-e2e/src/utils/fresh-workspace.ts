import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { E2eState } from './e2e-state';
import { E2eWorkspace } from './e2e-workspace';
import { gitInitWithCommit } from './git';
import type { NxRelease } from './nx-matrix';
import { runProcess } from './run-process';
import { npmEnvWithHome } from './template-workspace';

/**
 * A workspace as a new user starts one: package.json, `{}` nx.json, a `.gitignore` holding only node_modules, git;
 * then a plain `npm install --save-exact nx@… @nx/devkit@… <plugin tarball>` (no `--legacy-peer-deps`: the plugin's
 * peer range must accept this Nx). Its own node_modules (one install per Nx release) and HOME.
 */
export function createFreshWorkspace(state: E2eState, name: string, release: NxRelease): E2eWorkspace {
  const root = join(state.tempRoot, 'fresh', name);
  const home = join(state.tempRoot, 'homes', name);
  mkdirSync(root, { recursive: true });
  mkdirSync(home, { recursive: true });
  writeFileSync(join(root, 'package.json'), `${JSON.stringify({ name, version: '0.0.0', private: true }, null, 2)}\n`);
  writeFileSync(join(root, 'nx.json'), '{}\n');
  writeFileSync(join(root, '.gitignore'), 'node_modules\n');
  gitInitWithCommit(root, 'empty workspace');
  runProcess(
    'npm',
    ['install', '--save-exact', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', `nx@${release.nx}`, `@nx/devkit@${release.devkit}`, state.tarball],
    { cwd: root, env: npmEnvWithHome(home), timeoutMs: 600_000 },
  );
  return new E2eWorkspace(root, home);
}

/** The versions of `nx` and `@nx/devkit` installed in a workspace's node_modules. */
export function installedNx(workspace: E2eWorkspace): { nx: string; devkit: string } {
  const version = (name: string) => (JSON.parse(readFileSync(workspace.path('node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  return { nx: version('nx'), devkit: version('@nx/devkit') };
}
