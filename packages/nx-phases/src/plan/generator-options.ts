import { ROOT_PATH } from './errors';
import type { ResolvedGenerator } from './types';
import { closestName } from './did-you-mean';
import { getValidators, runValidator, type Finding } from './schema-validate';

/** The package name of this plugin, as written in `"<package>:<generator>"`. */
const OWN_PACKAGE = 'nx-phases';

/** The nx-phases generators that can run a phase (`init` and `plan` set up a workspace and write plans). */
export const PHASE_GENERATORS = ['scaffold', 'command', 'openai'] as const;

/** Options the nx-phases:phase executor sets for every generator; a plan may not set them. */
export const EXECUTOR_SET_OPTIONS = ['plan', 'phase', 'dependencies', 'context', 'runtime'] as const;

const PHASE_GENERATOR_LIST = PHASE_GENERATORS.map((name) => `"${OWN_PACKAGE}:${name}"`).join(', ');

/**
 * Checks the plan-wide generator and every phase's own generator in a (possibly schema-invalid) plan document: a
 * `nx-phases:` generator must be one that can run a phase, and the options of a built-in generator must match its
 * schema (unknown options are errors with a "did you mean"). The plan-wide generator's required options are only
 * asked for when some phase uses it.
 */
export function checkGeneratorReferences(data: unknown): Finding[] {
  if (!isRecord(data)) return [];
  const phases: unknown[] = Array.isArray(data.phases) ? data.phases : [];
  const planWideUsed = phases.length === 0 || phases.some((phase) => !isRecord(phase) || phase.generator === undefined);
  const findings = checkReference(data.generator, 'generator', planWideUsed);
  phases.forEach((phase, index) => {
    if (isRecord(phase)) findings.push(...checkReference(phase.generator, `phases[${index}].generator`, true));
  });
  return findings;
}

/**
 * Checks a resolved generator again before it runs (the plan may have been stored by another process): its name
 * and its options. `path` is the JSON path of the generator (`generator` or `phases[3].generator`).
 */
export function checkResolvedGenerator(generator: ResolvedGenerator, path: string): Finding[] {
  const nameFinding = checkGeneratorName(generator.use, path);
  return nameFinding ? [nameFinding] : checkGeneratorOptions(generator, `${path}.options`, true);
}

/** The built-in phase generator a `"<package>:<generator>"` id names, if any. */
export function builtInPhaseGenerator(use: string): (typeof PHASE_GENERATORS)[number] | undefined {
  return PHASE_GENERATORS.find((name) => use === `${OWN_PACKAGE}:${name}`);
}

/** A generator name that contains no `:` but is close to a phase generator's short name: `"scafold"` → `"nx-phases:scaffold"`. */
export function suggestGeneratorId(use: string): string | undefined {
  const name = use.includes(':') ? use.slice(use.lastIndexOf(':') + 1) : use;
  const suggestion = closestName(name, [...PHASE_GENERATORS]);
  return suggestion ? `${OWN_PACKAGE}:${suggestion}` : undefined;
}

/** Checks one generator reference (a string or `{ use, options }`) at `path`. */
function checkReference(spec: unknown, path: string, requireOptions: boolean): Finding[] {
  const use = typeof spec === 'string' ? spec : isRecord(spec) && typeof spec.use === 'string' ? spec.use : undefined;
  if (use === undefined) return [];
  const nameFinding = checkGeneratorName(use, typeof spec === 'string' ? path : `${path}.use`);
  if (nameFinding) return [nameFinding];
  const options = isRecord(spec) ? spec.options : undefined;
  if (options !== undefined && !isRecord(options)) return [];
  return checkGeneratorOptions({ use, options: options ?? {} }, `${path}.options`, requireOptions);
}

/** An `nx-phases:` generator that cannot run a phase (`init`, `plan`, a misspelling), with a "did you mean". */
function checkGeneratorName(use: string, path: string): Finding | undefined {
  const separator = use.lastIndexOf(':');
  if (separator < 0 || use.slice(0, separator) !== OWN_PACKAGE || builtInPhaseGenerator(use)) return undefined;
  const name = use.slice(separator + 1);
  const suggestion = suggestGeneratorId(use);
  const others = `The phase generators of nx-phases are ${PHASE_GENERATOR_LIST}; an Nx generator of another package is written "<package>:<generator>".`;
  if (name === 'init' || name === 'plan') {
    return {
      path,
      message: `"${use}" is not a phase generator: it ${name === 'init' ? 'sets up the workspace' : 'writes a phases.json'} and is run with nx g.`,
      hint: `Use a phase generator. ${others}`,
    };
  }
  return {
    path,
    message: `Unknown generator "${use}".`,
    hint: `${suggestion ? `Did you mean "${suggestion}"? ` : ''}${others}`,
  };
}

/**
 * Checks a generator's options at `path` (`generator.options`, `phases[3].generator.options`): none may be one the
 * executor sets, and a built-in generator's options must match its schema. `requireOptions: false` skips missing
 * required options.
 */
function checkGeneratorOptions(generator: ResolvedGenerator, path: string, requireOptions: boolean): Finding[] {
  const findings: Finding[] = [];
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(generator.options)) {
    if (!(EXECUTOR_SET_OPTIONS as readonly string[]).includes(key)) {
      own[key] = value;
      continue;
    }
    findings.push({
      path: `${path}.${key}`,
      message: `The option "${key}" is set by the nx-phases:phase executor for every phase; a plan cannot set it.`,
      hint: `Remove "${key}" from the options.`,
    });
  }
  const builtIn = builtInPhaseGenerator(generator.use);
  if (!builtIn) return findings;
  const schemaFindings = runValidator(getValidators()[builtIn], own, { owner: generator.use });
  for (const finding of schemaFindings) {
    if (!requireOptions && finding.message.startsWith('Required ')) continue;
    findings.push({ ...finding, path: joinPath(path, finding.path) });
  }
  return findings;
}

/** `generator.options` + `sandbox.network` → `generator.options.sandbox.network`. */
function joinPath(prefix: string, relative: string): string {
  if (relative === ROOT_PATH) return prefix;
  return relative.startsWith('[') ? `${prefix}${relative}` : `${prefix}.${relative}`;
}

/** True for a plain JSON object. */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
