import type { Tree } from '@nx/devkit';
import type { PhaseGeneratorOptions } from '../../runtime/phase-generator';
import { createScaffoldContext } from './context';
import { sortStrings } from './names';
import { renderFile } from './render';

/**
 * nx-phases:scaffold: writes every planned file of the phase from deterministic templates,
 * linking to what the phase's dependencies left in the tree (the snapshot).
 */
export default async function scaffoldGenerator(tree: Tree, options: PhaseGeneratorOptions): Promise<void> {
  assertPhaseOptions(options);
  const ctx = createScaffoldContext(tree, options.plan.name, options.phase, options.plan.merge);
  const files = sortStrings(new Set(options.phase.plannedFiles));
  const contents = files.map((file) => [file, renderFile(ctx, file)] as const);
  for (const [file, content] of contents) tree.write(file, content);
}

/** Throws a clear error when the generator runs outside the nx-phases:phase executor or with unsafe paths. */
export function assertPhaseOptions(options: Partial<PhaseGeneratorOptions>): asserts options is PhaseGeneratorOptions {
  if (!options.phase || !Array.isArray(options.phase.plannedFiles) || !options.plan?.name) {
    throw new Error(
      'nx-phases:scaffold is a phase generator: it needs the `plan` and `phase` options the nx-phases:phase executor passes. ' +
        'Run it through a plan instead: `nx run <plan>-<number>-<name>:phase`.',
    );
  }
  const unsafe = options.phase.plannedFiles.find((file) => file.startsWith('/') || file.split('/').includes('..'));
  if (unsafe !== undefined) {
    throw new Error(
      `Phase ${options.phase.number} plans ${JSON.stringify(unsafe)}, which is outside the app root. ` +
        'List plannedFiles relative to the folder that holds phases.json, without "..".',
    );
  }
}
