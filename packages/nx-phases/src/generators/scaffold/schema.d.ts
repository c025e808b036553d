import type { PhaseGeneratorOptions } from '../../runtime/phase-generator';

/** Options of nx-phases:scaffold: only what the nx-phases:phase executor passes (it has no settings of its own). */
export type ScaffoldGeneratorSchema = PhaseGeneratorOptions;
