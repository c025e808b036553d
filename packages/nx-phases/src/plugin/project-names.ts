import type { CreateNodesResult } from '@nx/devkit';
import { RECORDS_DIR } from '../constants';
import { phaseJsonPaths } from '../plan';

/** Who a project name belongs to: one phase of a plan, or a plan's own project. */
interface NameOwner {
  planFile: string;
  planText: string;
  /** The phase number, for a phase project. */
  phase?: number;
}

/**
 * Project names inferred so far in one createNodes pass over every plan. Two plans can infer the same name
 * (plan `x` phase 1 "2 b" and plan `x-1` phase 2 "b" both become `x-1-2-b`); Nx's own error would then point
 * inside the reserved `.phases/` folder, so the collision is reported here, naming both phases and the fix.
 */
export class ProjectNameRegistry {
  private readonly owners = new Map<string, NameOwner>();

  /** True when a project of an earlier plan in this pass took `name`. */
  isTaken(name: string): boolean {
    return this.owners.has(name);
  }

  /** Claims the names of one plan's projects; throws a plan-level error when one is already taken (claiming none). */
  claim(planFile: string, planText: string, result: CreateNodesResult): void {
    const claimed = new Map<string, NameOwner>();
    for (const project of Object.values(result.projects ?? {})) {
      if (!project.name) continue;
      const owner: NameOwner = { planFile, planText, phase: phaseNumberOfRoot(project.root) };
      const previous = this.owners.get(project.name) ?? claimed.get(project.name);
      if (previous) throw new Error(collisionMessage(project.name, owner, previous));
      claimed.set(project.name, owner);
    }
    for (const [name, owner] of claimed) this.owners.set(name, owner);
  }
}

/** The phase number of a project rooted at `<appRoot>/.phases/<n>`, or undefined for the plan's project. */
function phaseNumberOfRoot(root: string | undefined): number | undefined {
  const match = root === undefined ? null : new RegExp(`(?:^|/)${RECORDS_DIR.replace('.', '\\.')}/(\\d+)$`).exec(root);
  return match ? Number(match[1]) : undefined;
}

function collisionMessage(name: string, owner: NameOwner, previous: NameOwner): string {
  return (
    `${describeOwner(owner)} becomes the Nx project ${JSON.stringify(name)}, and so does ${describeOwner(previous)}; ` +
    `Nx project names must be unique. Fix: rename one of them: change ${renameHint(owner)} or ${renameHint(previous)}` +
    ` (or set the plugin's "projectName" template in nx.json, e.g. "{plan}--{number}-{name}").`
  );
}

/** `phase 2 "b" (phases[1] in apps/x-1/phases.json)` or `the plan project of apps/x/phases.json`. */
function describeOwner(owner: NameOwner): string {
  if (owner.phase === undefined) return `the plan project of ${owner.planFile}`;
  return `phase ${owner.phase} ${JSON.stringify(phaseName(owner))} (${phasePath(owner)} in ${owner.planFile})`;
}

/** What the user edits to rename an owner: the phase's name, or the plan's name. */
function renameHint(owner: NameOwner): string {
  return owner.phase === undefined ? `"name" in ${owner.planFile}` : `${phasePath(owner)}.name in ${owner.planFile}`;
}

function phasePath(owner: NameOwner): string {
  return phaseJsonPaths(owner.planText).get(owner.phase!) ?? 'phases';
}

/** The phase's name as written in the plan (read again only to report a collision). */
function phaseName(owner: NameOwner): string {
  const index = Number(/\[(\d+)\]/.exec(phasePath(owner))?.[1]);
  try {
    const phases = (JSON.parse(owner.planText.replace(/^\uFEFF/, '')) as { phases: Array<{ name?: unknown }> }).phases;
    return String(phases[index]?.name ?? '?');
  } catch {
    return '?';
  }
}
