import { checkResolvedGenerator, parsePlan, PlanError } from './index';
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
