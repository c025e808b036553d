import { runsTarget, showsAggregateOutput, streamsPhaseOutput } from './run-output';

const nx = (...args: string[]) => ['/usr/bin/node', '/ws/node_modules/nx/bin/nx.js', ...args];

describe('streamsPhaseOutput', () => {
  it.each([
    [nx('run-many', '-t', 'phase', '--parallel=3'), true],
    [nx('run-many', '-t', 'phase', '-p', 'tag:phase-plan:store', '--parallel=3'), true],
    [nx('run-many', '--targets=build,phase'), true],
    [nx('run-many', '-t', 'build', 'phase'), true],
    [nx('affected', '--target', 'phase'), true],
    [nx('run-many', '-t', 'build'), false],
    [nx('run-many', '-t', 'phase-plan'), false],
    [nx('run', 'shop:phase'), false],
    [nx('run-many', '-t', 'phase', '--outputStyle=static'), false],
    [nx('run-many', '-t', 'phase', '--output-style', 'tui'), false],
    [nx('run-many', '-t', 'phase', '--tui'), false],
    [nx('run-many', '-t', 'phase', '--tui=true'), false],
    [nx('run-many', '-t', 'phase', '--tui=false'), true],
    [nx('run-many', '-t', 'phase', '--no-tui'), true],
    [nx('run-many', '-t', 'phase', '--verbose'), false],
    [nx(), false],
  ])('%j → %s', (argv, expected) => {
    expect(streamsPhaseOutput(argv, 'phase')).toBe(expected);
  });

  it('follows a custom target name', () => {
    expect(streamsPhaseOutput(nx('run-many', '-t', 'generate'), 'generate')).toBe(true);
    expect(streamsPhaseOutput(nx('run-many', '-t', 'phase'), 'generate')).toBe(false);
  });
});

describe('showsAggregateOutput', () => {
  it.each([
    [nx('run-many', '-t', 'phase'), false, true],
    [nx('run-many', '-t', 'phase'), true, false],
    [nx('affected', '-t', 'phase'), false, true],
    [nx('run', 'shop:phase'), false, true],
    [nx('run', 'shop:phase'), true, true],
    [nx('run', 'shop:verify'), false, true],
    [nx('phase', 'shop'), false, true],
    [nx('run', 'shop-1-setup:phase'), false, false],
    [nx('run', 'other:build'), false, false],
    [nx('run-many', '-t', 'phase', '--outputStyle=static'), false, true],
    [nx('run-many', '-t', 'phase', '--output-style', 'stream'), false, true],
    [nx('run-many', '-t', 'phase', '--outputStyle=static-failures-only'), false, false],
    [nx('run-many', '-t', 'phase', '--outputStyle=summary'), false, false],
    [nx('run-many', '-t', 'phase', '--verbose'), false, true],
  ])('%j with the terminal UI %s → %s', (argv, tui, expected) => {
    expect(showsAggregateOutput(argv, 'phase', tui, 'shop')).toBe(expected);
  });
});

describe('runsTarget (createNodes leaves the conflict fixes to such a run)', () => {
  const nx = (...args: string[]) => ['/usr/bin/node', '/ws/node_modules/.bin/nx', ...args];

  it.each([
    [['run-many', '-t', 'phase'], true],
    [['run-many', '--targets=build,phase', '--parallel=3'], true],
    [['affected', '--target', 'phase'], true],
    [['run', 'shop-3-auth:phase'], true],
    [['run', 'shop:phase:ci', '--skip-nx-cache'], true],
    [['phase', 'shop'], true],
    [['run-many', '-t', 'build'], false],
    [['run', 'shop:phase-plan'], false],
    [['graph', '--file=graph.json'], false],
    [['show', 'projects'], false],
    [[], false],
  ])('%j → %s', (args, expected) => expect(runsTarget(nx(...args), 'phase')).toBe(expected));

  it('follows the target name of the plugin options', () => {
    expect(runsTarget(nx('run-many', '-t', 'phase'), 'generate')).toBe(false);
    expect(runsTarget(nx('run-many', '-t', 'generate'), 'generate')).toBe(true);
  });
});
