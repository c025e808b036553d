/** nx-phases: run a phase plan as an Nx task graph. */
export * from './plan';
export { createNodes, createNodesV2 } from './plugin/create-nodes';
export { postTasksExecution } from './plugin/post-tasks-execution';
export { preTasksExecution } from './plugin/pre-tasks-execution';
export type { NxPhasesPluginOptions } from './plugin/options';
export type { PhaseGeneratorOptions, PhaseRuntime, DependencyOutput, GeneratorUsage, PhaseWait } from './runtime/phase-generator';
export type { PhaseManifest } from './runtime/manifest';
