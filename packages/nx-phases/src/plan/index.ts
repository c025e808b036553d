/** The pure plan core: parsing, validation, levels, reachability, conflicts and file prediction (no Nx imports). */
export type {
  AddedEdge,
  Conflict,
  GeneratorSpec,
  Phase,
  PhaseDocument,
  PhaseDomain,
  PhasePlan,
  PlanDocument,
  RateLimit,
  ResolvedGenerator,
} from './types';
export { PlanError, ROOT_PATH, formatProblems } from './errors';
export type { PlanProblem } from './errors';
export { parsePlan, phaseJsonPaths } from './parse';
export { checkResolvedGenerator, PHASE_GENERATORS } from './generator-options';
export { findNestedPlans } from './nested-plans';
export { DEFAULT_CHECK, DEFAULT_DOMAIN, DEFAULT_GENERATOR, DEFAULT_RATE_LIMIT, effectiveCheck, effectiveGenerator } from './build-plan';
export { normalizePlanPath, PLAN_FILE_NAME, RESERVED_RECORDS_FOLDER } from './paths';
export { PHASES_SCHEMA_PATH } from './schema-validate';
export { computeLevels, groupByLevel, topologicalOrder, IN_MEMORY_PLAN } from './graph';
export { createReachability, canRunConcurrently, transitiveDependencies } from './reachability';
export type { PlanReachability } from './reachability';
export { reduceDependencies } from './reduction';
export type { DependencyEdge, DependencyReduction, ImpliedEdge } from './reduction';
export { findConflicts, resolveConflicts } from './conflicts';
export { isRoutedPage, predictPhaseFiles, toKebabCase, toPascalCase, WIRING_FILES } from './predict-files';
export { phaseWiring } from './wiring';
export type { PhaseWiring } from './wiring';
export type { PredictionInput } from './predict-files';
export { formatLevels } from './format';
export type { MergeStrategy } from './types';
export { MERGE_STRATEGIES, contributorLabel } from './merge/types';
export type { Contribution, Contributor, RecordedContribution, ForbiddenEdit } from './merge/types';
export { ForbiddenEditError, MergeConflictError, ContributionError } from './merge/errors';
export { extractContribution, mergeContributions, readContribution } from './merge/contributions';
export { mergeStrategyOf, plannedMergeStrategies, regionsCreator } from './merge/merge-checks';
export { parseRegions, regionsOf, renderRegions, RegionSyntaxError } from './merge/regions-format';
export { linesKey } from './merge/line-keys';
export { parseJsonLossless, writeJson, stableJson } from './merge/json-text';
export { JsonNumber } from './merge/json-number';
export { assertJsonTextDepth, JsonDepthError, MAX_JSON_DEPTH } from './json-depth';
