import { batchParallelism } from './parallelism';

describe('batchParallelism: the --parallel of the nx command that started the batch', () => {
  const nx = (...args: string[]) => ['/usr/bin/node', '/ws/node_modules/nx/bin/nx.js', 'run-many', '-t', 'phase', ...args];

  it.each([
    [nx('--parallel=4'), {}, undefined, 4],
    [nx('--parallel', '2'), {}, undefined, 2],
    [nx('--parallel'), {}, undefined, 3],
    [nx('--parallel', '--max-parallel=5'), {}, undefined, 5],
    [nx('--parallel=false'), {}, 8, 1],
    [nx(), {}, 6, 6],
    [nx(), {}, undefined, 3],
    [nx(), { NX_PARALLEL: '7' }, 2, 7],
    [nx('--parallel=2'), { NX_PARALLEL: '7' }, undefined, 2],
    // `--parallel` on the command line, in any form, means NX_PARALLEL is not read: bare, it is 3 (or --max-parallel).
    [nx('--parallel'), { NX_PARALLEL: '7' }, undefined, 3],
    [nx('--parallel=true'), { NX_PARALLEL: '7' }, undefined, 3],
    [[], {}, undefined, 3],
  ])('%j with env %j and nx.json parallel %j → %i', (argv, env, nxJson, expected) => {
    expect(batchParallelism(nxJson, argv, env)).toBe(expected);
  });

  it('reads the real parent command line when none is given', () => {
    expect(batchParallelism(undefined)).toBeGreaterThanOrEqual(1);
  });
});
