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

/**
 * A small plan for cache-sharing tests, with what a cache key must cover: a shared context file
 * (`docs/brief.md`, written too), a file a later phase rewrites, and a diamond (1 → {2, 3} → 4).
 */
export function writeSharingPlan(workspace: string, appDir: string, name: string, generator: GeneratorSpec): PlanDocument {
  const plan: PlanDocument = {
    name,
    generator,
    context: ['docs/brief.md'],
    phases: [
      { number: 1, name: 'Setup', features: ['Shell'], plannedFiles: ['src/app.ts', 'src/shared.ts'] },
      { number: 2, name: 'Modify', features: ['More'], dependencies: [1], plannedFiles: ['src/shared.ts'] },
      { number: 3, name: 'Read', features: ['Read'], dependencies: [1], plannedFiles: ['src/read.ts'] },
      { number: 4, name: 'End', features: ['End'], dependencies: [2, 3], plannedFiles: ['src/end.ts'] },
    ],
  };
  writePlan(workspace, appDir, plan);
  mkdirSync(join(workspace, appDir, 'docs'), { recursive: true });
  writeFileSync(join(workspace, appDir, 'docs', 'brief.md'), `# ${name}\n`);
  return plan;
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
