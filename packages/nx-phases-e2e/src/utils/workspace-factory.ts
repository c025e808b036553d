import { cpSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { E2eState } from './e2e-state';
import { E2eWorkspace } from './e2e-workspace';
import { git, gitInitWithCommit } from './git';
import { runProcess } from './run-process';
import { npmEnvWithHome } from './template-workspace';

/**
 * A new workspace beside the installed one: same package.json and nx.json, node_modules symlinked
 * (so no second install), its own git repository and Nx cache.
 */
export function createScenarioWorkspace(state: E2eState, name: string): E2eWorkspace {
  const root = join(state.tempRoot, 'workspaces', name);
  if (existsSync(root)) throw new Error(`Scenario workspace ${root} already exists; give each scenario its own name.`);
  mkdirSync(root, { recursive: true });
  for (const file of ['package.json', 'nx.json']) cpSync(join(state.templateWorkspace, file), join(root, file));
  symlinkSync(join(state.templateWorkspace, 'node_modules'), join(root, 'node_modules'), 'dir');
  writeFileSync(join(root, '.gitignore'), 'node_modules\n.nx\n');
  gitInitWithCommit(root, `workspace ${name}`);
  return new E2eWorkspace(root, privateHome(state, name));
}

/**
 * A `git clone` of `source` beside it, like a second CI machine's checkout: same repository identity and,
 * by default, the same HOME, so Nx gives it the same cache and cache database (a stand-in for a remote
 * cache); with `ownHome` it gets a fresh HOME, hence an empty local cache, like another machine.
 */
export function cloneScenarioWorkspace(state: E2eState, source: E2eWorkspace, name: string, options: { ownHome?: boolean } = {}): E2eWorkspace {
  const root = join(state.tempRoot, 'workspaces', name);
  git(state.tempRoot, ['clone', '--quiet', source.root, root]);
  symlinkSync(join(state.templateWorkspace, 'node_modules'), join(root, 'node_modules'), 'dir');
  return new E2eWorkspace(root, options.ownHome ? privateHome(state, name) : source.home);
}

/**
 * A real `git clone` of the repository at `repoRoot` (its committed HEAD) with its own `npm ci` and its own
 * HOME: a second developer's or CI machine's checkout of this repo, running the plugin the way the repo's
 * own workspace does. No symlinked node_modules, which would resolve the plugin to the original checkout.
 */
export function cloneRepository(state: E2eState, repoRoot: string, name: string): E2eWorkspace {
  const root = join(state.tempRoot, 'repo-clones', name);
  mkdirSync(join(state.tempRoot, 'repo-clones'), { recursive: true });
  git(state.tempRoot, ['clone', '--quiet', repoRoot, root]);
  const home = privateHome(state, name);
  runProcess('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: root,
    env: npmEnvWithHome(home),
    timeoutMs: 900_000,
  });
  return new E2eWorkspace(root, home);
}

/** A fresh HOME for one workspace's nx runs, inside the suite's temp folder. */
function privateHome(state: E2eState, name: string): string {
  const home = join(state.tempRoot, 'homes', name);
  mkdirSync(home, { recursive: true });
  return home;
}
