import type { Phase } from '../plan/types';
import { toKebabCase } from '../plan';

/** Options of the nx-phases plugin entry in nx.json. */
export interface NxPhasesPluginOptions {
  /** Name of each phase project's target (default `phase`); also the plan project's aggregate target. */
  targetName?: string;
  /** Template for phase project names: `{plan}`, `{number}` and `{name}` (kebab-case) are replaced. */
  projectName?: string;
}

/** Plugin options with defaults applied. */
export type NormalizedPluginOptions = Required<NxPhasesPluginOptions>;

/** Applies defaults: target `phase`, projects named `<plan>-<number>-<kebab(name)>`. */
export function normalizePluginOptions(options: NxPhasesPluginOptions | undefined): NormalizedPluginOptions {
  return {
    targetName: options?.targetName ?? 'phase',
    projectName: options?.projectName ?? '{plan}-{number}-{name}',
  };
}

/** The project name of one phase, e.g. `shop-3-auth` (`shop-3-phase` when the name has no ASCII letters or digits). */
export function phaseProjectName(options: NormalizedPluginOptions, planName: string, phase: Phase): string {
  return options.projectName
    .replace('{plan}', planName)
    .replace('{number}', String(phase.number))
    .replace('{name}', toKebabCase(phase.name) || 'phase');
}
