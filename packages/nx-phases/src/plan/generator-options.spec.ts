import { checkResolvedGenerator, parsePlan, PlanError } from './index';
import { builtInPhaseGenerator, suggestGeneratorId } from './generator-options';
import type { PlanProblem } from './index';

const PLAN_FILE = 'apps/shop/phases.json';
const OPENAI_OPTIONS =
  'model, baseURL, apiKeyEnv, temperature, maxContextTokens, maxOutputTokens, timeoutMs, maxRetries, maxRetryAfterMs, systemPrompt, prices';
const PHASE_GENERATOR_LIST =
  'The phase generators of nx-phases are "nx-phases:scaffold", "nx-phases:command", "nx-phases:openai"; an Nx generator of another package is written "<package>:<generator>".';

/** A two-phase plan with the given plan-wide generator; phase 1 may override it. */
function planText(generator: unknown, phase1Generator?: unknown): string {
  const phase1 = { number: 1, name: 'Setup', plannedFiles: ['a.ts'], ...(phase1Generator === undefined ? {} : { generator: phase1Generator }) };
  return JSON.stringify({ name: 'shop', generator, phases: [phase1, { number: 2, name: 'B', plannedFiles: ['b.ts'], dependencies: [1] }] });
}

function problemsOf(text: string): Array<Omit<PlanProblem, 'file'>> {
  try {
    parsePlan(text, PLAN_FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(PlanError);
    return (error as PlanError).problems.map(({ file, ...rest }) => {
      expect(file).toBe(PLAN_FILE);
      return rest;
    });
  }
  throw new Error('expected parsePlan to throw');
}

describe('generator options fail closed when the plan loads', () => {
  it('rejects misspelt openai options with a "did you mean", at the plan-wide JSON path', () => {
    const text = planText({ use: 'nx-phases:openai', options: { modle: 'gpt-4.1', baseUrl: 'http://127.0.0.1:9/v1' } });
    expect(problemsOf(text)).toEqual([
      {
        path: 'generator.options.baseUrl',
        message: 'Unknown option "baseUrl" for nx-phases:openai.',
        hint: `Did you mean "baseURL"? Allowed options: ${OPENAI_OPTIONS}.`,
      },
      {
        path: 'generator.options.modle',
        message: 'Unknown option "modle" for nx-phases:openai.',
        hint: `Did you mean "model"? Allowed options: ${OPENAI_OPTIONS}.`,
      },
    ]);
  });

  it("names a phase's own generator options by the phase's JSON path, and checks ranges", () => {
    const text = planText('nx-phases:scaffold', { use: 'nx-phases:openai', options: { temperature: 5, retries: 1 } });
    expect(problemsOf(text)).toEqual([
      {
        path: 'phases[0].generator.options.retries',
        message: 'Unknown option "retries" for nx-phases:openai.',
        hint: `Remove it. Allowed options: ${OPENAI_OPTIONS}.`,
      },
      { path: 'phases[0].generator.options.temperature', message: 'Must be at most 2, got the number 5.', hint: 'Use a value of 2 or less.' },
    ]);
  });

  it('rejects any option for scaffold, which takes none', () => {
    expect(problemsOf(planText({ use: 'nx-phases:scaffold', options: { style: 'tailwind' } }))).toEqual([
      { path: 'generator.options.style', message: 'Unknown option "style": nx-phases:scaffold takes no options.', hint: 'Remove "style".' },
    ]);
  });

  it('checks command options, nested sandbox fields included', () => {
    const text = planText({ use: 'nx-phases:command', options: { command: '  ', timeout: 5, sandbox: { netwrok: false } } });
    expect(problemsOf(text)).toEqual([
      {
        path: 'generator.options.command',
        message: '"  " does not match the pattern \\S.',
        hint: 'Write a shell command that is not blank.',
      },
      {
        path: 'generator.options.sandbox.netwrok',
        message: 'Unknown field "netwrok".',
        hint: 'Did you mean "network"? Allowed fields: network.',
      },
      {
        path: 'generator.options.timeout',
        message: 'Unknown option "timeout" for nx-phases:command.',
        hint: 'Did you mean "timeoutMs"? Allowed options: command, timeoutMs, sandbox.',
      },
    ]);
    expect(problemsOf(planText({ use: 'nx-phases:command', options: { command: 'x', sandbox: 'yes' } }))).toEqual([
      {
        path: 'generator.options.sandbox',
        message: 'Expected a boolean or an object, got the string "yes".',
        hint: 'Write true, false or an object such as { "network": false }.',
      },
    ]);
  });

  it('asks for a required option of the plan-wide generator only when a phase uses it', () => {
    expect(problemsOf(planText('nx-phases:command'))).toEqual([
      {
        path: 'generator.options.command',
        message: 'Required option "command" of nx-phases:command is missing.',
        hint: 'Add "command" (Shell command, run as `/bin/sh -c <command>` in the snapshot folder. A non-zero exit fails the phase).',
      },
    ]);
    const everyPhaseOverrides = JSON.stringify({
      name: 'shop',
      generator: 'nx-phases:command',
      phases: [{ number: 1, name: 'Setup', plannedFiles: ['a.ts'], generator: 'nx-phases:scaffold' }],
    });
    expect(parsePlan(everyPhaseOverrides, PLAN_FILE).phases[0].generator?.use).toBe('nx-phases:scaffold');
  });

  it('rejects options the executor sets, for any generator', () => {
    expect(problemsOf(planText({ use: '@my-org/tools:phase', options: { phase: 3, flavour: 'any' } }))).toEqual([
      {
        path: 'generator.options.phase',
        message: 'The option "phase" is set by the nx-phases:phase executor for every phase; a plan cannot set it.',
        hint: 'Remove "phase" from the options.',
      },
    ]);
  });
});

describe('generator names are checked when the plan loads', () => {
  it('suggests the phase generator for a misspelt nx-phases generator', () => {
    expect(problemsOf(planText('nx-phases:scafold'))).toEqual([
      { path: 'generator', message: 'Unknown generator "nx-phases:scafold".', hint: `Did you mean "nx-phases:scaffold"? ${PHASE_GENERATOR_LIST}` },
    ]);
    expect(problemsOf(planText('nx-phases:scaffold', { use: 'nx-phases:opneai' }))).toEqual([
      { path: 'phases[0].generator.use', message: 'Unknown generator "nx-phases:opneai".', hint: `Did you mean "nx-phases:openai"? ${PHASE_GENERATOR_LIST}` },
    ]);
  });

  it('suggests the full id for a bare phase generator name', () => {
    expect(problemsOf(planText('scafold'))).toEqual([
      {
        path: 'generator',
        message: expect.stringContaining('"scafold" does not match the pattern'),
        hint: 'Did you mean "nx-phases:scaffold"? Use "<package>:<generator>", e.g. "nx-phases:scaffold" or "@my-org/tools:phase".',
      },
    ]);
  });

  it('rejects init and plan, which are not phase generators', () => {
    expect(problemsOf(planText('nx-phases:init'))).toEqual([
      {
        path: 'generator',
        message: '"nx-phases:init" is not a phase generator: it sets up the workspace and is run with nx g.',
        hint: `Use a phase generator. ${PHASE_GENERATOR_LIST}`,
      },
    ]);
    expect(problemsOf(planText('nx-phases:plan'))[0].message).toBe(
      '"nx-phases:plan" is not a phase generator: it writes a phases.json and is run with nx g.',
    );
  });
});

describe('checkResolvedGenerator (again before a phase runs)', () => {
  it('reports the same problems for a resolved generator', () => {
    expect(checkResolvedGenerator({ use: 'nx-phases:openai', options: { modle: 'x' } }, 'phases[3].generator')).toEqual([
      {
        path: 'phases[3].generator.options.modle',
        message: 'Unknown option "modle" for nx-phases:openai.',
        hint: `Did you mean "model"? Allowed options: ${OPENAI_OPTIONS}.`,
      },
    ]);
    expect(checkResolvedGenerator({ use: 'nx-phases:scafold', options: {} }, 'generator')).toHaveLength(1);
    expect(checkResolvedGenerator({ use: 'test-gens:echo', options: { anything: 1 } }, 'generator')).toEqual([]);
  });
});

describe('generator references: every form and edge the plan can hold', () => {
  it('rejects each option the executor sets, for any generator, at its path', () => {
    const options = { plan: 'x', phase: 1, dependencies: [], context: [], runtime: {}, flavour: 'any' };
    expect(problemsOf(planText({ use: '@my-org/tools:phase', options })).map((p) => `${p.path}: ${p.message} ${p.hint}`)).toEqual(
      ['context', 'dependencies', 'phase', 'plan', 'runtime'].map(
        (key) => `generator.options.${key}: The option "${key}" is set by the nx-phases:phase executor for every phase; a plan cannot set it. Remove "${key}" from the options.`,
      ),
    );
  });

  it('names an option that is not an identifier by its bracketed JSON path', () => {
    expect(problemsOf(planText({ use: 'nx-phases:openai', options: { 'max tokens': 5 } }))).toEqual([
      {
        path: 'generator.options["max tokens"]',
        message: 'Unknown option "max tokens" for nx-phases:openai.',
        hint: `Remove it. Allowed options: ${OPENAI_OPTIONS}.`,
      },
    ]);
  });

  it('leaves options that are not an object to the schema: one problem, at the options', () => {
    expect(problemsOf(planText({ use: 'nx-phases:openai', options: 'fast' }))).toEqual([
      { path: 'generator.options', message: 'Expected an object, got the string "fast".', hint: 'Write a JSON object, e.g. { "key": "value" }.' },
    ]);
  });

  it('checks a phase generator written as a string, at the generator itself, and skips non-object phases', () => {
    const text = JSON.stringify({ name: 'shop', phases: [{ number: 1, name: 'A', plannedFiles: ['a.ts'], generator: 'nx-phases:scafold' }, 'x'] });
    expect(problemsOf(text).map((p) => p.path)).toEqual(['phases[0].generator', 'phases[1]']);
    expect(problemsOf(text)[0]).toEqual({ path: 'phases[0].generator', message: 'Unknown generator "nx-phases:scafold".', hint: `Did you mean "nx-phases:scaffold"? ${PHASE_GENERATOR_LIST}` });
  });

  it('asks for the plan-wide generator\'s required options when the plan has no phases, or a phase that is not an object', () => {
    const noPhases = JSON.stringify({ name: 'shop', generator: 'nx-phases:command', phases: [] });
    expect(problemsOf(noPhases).map((p) => p.path)).toEqual(['generator.options.command', 'phases']);
    const broken = JSON.stringify({ name: 'shop', generator: 'nx-phases:command', phases: [{ number: 1, name: 'A', plannedFiles: [], generator: 'nx-phases:scaffold' }, 7] });
    expect(problemsOf(broken).map((p) => p.path)).toEqual(['generator.options.command', 'phases[1]']);
    const noList = JSON.stringify({ name: 'shop', generator: 'nx-phases:command', phases: 'none' });
    expect(problemsOf(noList).map((p) => p.path)).toEqual(['generator.options.command', 'phases']);
  });

  it('leaves a name without a colon to the schema, even one starting with nx-phases', () => {
    expect(problemsOf(planText('nx-phasesx')).map((p) => `${p.path}: ${p.message}`)).toEqual([
      `generator: "nx-phasesx" does not match the pattern ^(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*:[A-Za-z0-9][A-Za-z0-9._-]*$.`,
    ]);
  });

  it('reads only the last colon as the separator, and suggests nothing for a name far from every phase generator', () => {
    expect(problemsOf(planText('nx-phases:zzzz'))).toEqual([
      { path: 'generator', message: 'Unknown generator "nx-phases:zzzz".', hint: PHASE_GENERATOR_LIST },
    ]);
    expect(checkResolvedGenerator({ use: 'other:nx-phases:scaffold', options: { anything: 1 } }, 'generator')).toEqual([]);
  });
});

describe('builtInPhaseGenerator and suggestGeneratorId', () => {
  it('knows exactly the three phase generators of this package', () => {
    expect(['nx-phases:scaffold', 'nx-phases:command', 'nx-phases:openai', 'nx-phases:init', 'my-org:scaffold', 'nx-phases:Scaffold'].map(builtInPhaseGenerator)).toEqual([
      'scaffold',
      'command',
      'openai',
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('suggests the full id from the last part of any name', () => {
    expect(suggestGeneratorId('scafold')).toBe('nx-phases:scaffold');
    expect(suggestGeneratorId('my-org:opnai')).toBe('nx-phases:openai');
    expect(suggestGeneratorId('a:b:comand')).toBe('nx-phases:command');
    expect(suggestGeneratorId('library')).toBeUndefined();
  });
});

describe('hostile or half-written generator references fail as schema problems, never as a crash', () => {
  /** The problems of a plan document as "path | message". */
  const problemLines = (document: unknown) => problemsOf(JSON.stringify(document)).map((p) => `${p.path} | ${p.message}`);

  it('reads a document that is not an object, a null generator and a null phase', () => {
    expect(problemLines(null)).toEqual(['(root) | Expected an object, got null.']);
    expect(problemLines(3)).toEqual(['(root) | Expected an object, got the number 3.']);
    expect(problemLines({ name: 'shop', generator: null, phases: [{ number: 1, name: 'A', plannedFiles: [] }, null] })).toEqual([
      'generator | Expected a string or an object, got null.',
      'phases[1] | Expected an object, got null.',
    ]);
  });

  it("reads a generator whose use is not a string, and asks for a phase generator's required options", () => {
    expect(problemLines({ name: 'shop', generator: { use: 5 }, phases: [{ number: 1, name: 'A', plannedFiles: [], generator: 'nx-phases:command' }] })).toEqual([
      'generator.use | Expected a string, got the number 5.',
      'phases[0].generator.options.command | Required option "command" of nx-phases:command is missing.',
    ]);
    expect(checkResolvedGenerator({ use: 'nx-phases:command', options: {} }, 'phases[2].generator')).toEqual([
      {
        path: 'phases[2].generator.options.command',
        message: 'Required option "command" of nx-phases:command is missing.',
        hint: 'Add "command" (Shell command, run as `/bin/sh -c <command>` in the snapshot folder. A non-zero exit fails the phase).',
      },
    ]);
  });

  it('checks the options of a plan-wide generator no phase uses, all but the required ones', () => {
    const unused = { name: 'shop', generator: { use: 'nx-phases:openai', options: { modle: 'x' } }, phases: [{ number: 1, name: 'A', plannedFiles: [], generator: 'nx-phases:scaffold' }] };
    expect(problemLines(unused)).toEqual(['generator.options.modle | Unknown option "modle" for nx-phases:openai.']);
  });
});
