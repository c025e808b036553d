import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratorSpec, PhaseDocument, PlanDocument } from '../../../nx-phases/src/plan/types';

/** The phases.json document types, shared with the plugin rather than repeated here. */
export type { GeneratorSpec, PhaseDocument, PlanDocument };

/** Writes `<workspace>/<appDir>/phases.json` (creating the folder) and returns its absolute path. */
export function writePlan(workspace: string, appDir: string, plan: PlanDocument): string {
  const file = join(workspace, appDir, 'phases.json');
  mkdirSync(join(workspace, appDir), { recursive: true });
  writeFileSync(file, JSON.stringify(plan, null, 2) + '\n');
  return file;
}

/** Reads a plan, lets `edit` change it in place, and writes it back. */
export function editPlan(workspace: string, appDir: string, edit: (plan: PlanDocument) => void): PlanDocument {
  const file = join(workspace, appDir, 'phases.json');
  const plan = JSON.parse(readFileSync(file, 'utf8')) as PlanDocument;
  edit(plan);
  writeFileSync(file, JSON.stringify(plan, null, 2) + '\n');
  return plan;
}

/** The phase with `number` in `plan`; throws when the test's plan has no such phase. */
export function phaseOf(plan: PlanDocument, number: number): PhaseDocument {
  const phase = plan.phases.find((p) => p.number === number);
  if (!phase) throw new Error(`Test plan ${plan.name} has no phase ${number}.`);
  return phase;
}

/** `shop-3-auth` for phase 3 "Auth" of plan shop (the plugin's default project name). */
export function phaseProjectName(plan: PlanDocument, number: number): string {
  const kebab = phaseOf(plan, number)
    .name.replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
  return `${plan.name}-${number}-${kebab}`;
}
