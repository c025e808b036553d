import { getProjects, visitNotIgnoredFiles, type Tree } from '@nx/devkit';
import { PLAN_FILE } from '../../constants';
import { PlanOptionsError } from './errors';

/** Throws when the app root already holds a plan, or another plan or project already uses the name. */
export function assertPlanIsNew(tree: Tree, planFile: string, name: string, directory: string): void {
  if (tree.exists(planFile)) {
    throw new PlanOptionsError(`${planFile} already exists. Edit it, delete it first, or pass another --directory.`);
  }
  const clash = plansNamed(tree, name)[0];
  if (clash) {
    throw new PlanOptionsError(`a plan named "${name}" already exists in ${clash}. Pass another name; plan names must be unique in the workspace.`);
  }
  const project = getProjects(tree).get(name);
  if (project && project.root !== directory) {
    throw new PlanOptionsError(`an Nx project named "${name}" already exists at ${project.root}. Pass another plan name.`);
  }
}

/** Workspace paths of the `phases.json` files (not git-ignored) whose `"name"` is `name`. */
function plansNamed(tree: Tree, name: string): string[] {
  const matches: string[] = [];
  visitNotIgnoredFiles(tree, '', (path) => {
    if (path !== PLAN_FILE && !path.endsWith(`/${PLAN_FILE}`)) return;
    if (readPlanName(tree, path) === name) matches.push(path);
  });
  return matches.sort();
}

function readPlanName(tree: Tree, path: string): unknown {
  try {
    return (JSON.parse(tree.read(path, 'utf-8') ?? '{}') as { name?: unknown }).name;
  } catch {
    return undefined; // An unparsable plan fails in the plugin with its own error; it claims no name.
  }
}
