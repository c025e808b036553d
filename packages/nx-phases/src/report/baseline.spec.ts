import { testPlan } from '../test-utils/report-plan';
import { baselineOf, speedUpAgainst, validBaselines, type SequentialBaseline } from './baseline';
import { speedUpLines } from './render-run-summary';
import { buildPlanRunReport, type PhaseTaskRun, type PlanRunReport } from './run-report';

const plan = testPlan([
  [1, 'Setup', []],
  [2, 'Database', [1]],
  [3, 'Auth', [1]],
]);
const run = (number: number, status: PhaseTaskRun['status'], start: number, end: number): PhaseTaskRun => ({
  appRoot: 'apps/shop', number, project: `shop-${number}`, status, startTime: start, endTime: end,
});
// Built before each test, not at load: StrykerJS switches a mutant of the run report on as a test starts.
let sequentialRun: PlanRunReport;
let parallelRun: PlanRunReport;
beforeEach(() => {
  sequentialRun = buildPlanRunReport(plan, 'apps/shop/phases.json', [run(1, 'ran', 0, 1000), run(2, 'ran', 1000, 3000), run(3, 'ran', 3000, 4000)], new Map(), 1);
  parallelRun = buildPlanRunReport(plan, 'apps/shop/phases.json', [run(1, 'ran', 0, 1000), run(2, 'ran', 1000, 3000), run(3, 'ran', 1000, 2000)], new Map(), 3);
});
const at = new Date('2026-01-02T03:04:05.000Z');

describe('sequential baselines', () => {
  it('a --parallel=1 run in which every phase ran is a baseline', () => {
    expect(baselineOf(sequentialRun, at)).toEqual({ phases: [1, 2, 3], makespanMs: 4000, recordedAt: '2026-01-02T03:04:05.000Z' });
  });

  it('a parallel run, a run with a cache hit or a failure is no baseline', () => {
    expect(baselineOf(parallelRun, at)).toBeUndefined();
    const withHit = buildPlanRunReport(plan, 'x', [run(1, 'cache hit', 0, 10), run(2, 'ran', 10, 1000), run(3, 'ran', 1000, 2000)], new Map(), 1);
    expect(baselineOf(withHit, at)).toBeUndefined();
    const withFailure = buildPlanRunReport(plan, 'x', [run(1, 'ran', 0, 10), run(2, 'failed', 10, 1000)], new Map(), 1);
    expect(baselineOf(withFailure, at)).toBeUndefined();
  });

  it('measures a speed-up only for a run of exactly the baseline phases, all of which ran', () => {
    const baseline = baselineOf(sequentialRun, at)!;
    expect(speedUpAgainst(parallelRun, baseline)).toEqual({ factor: 1.33, baseline });
    expect(speedUpAgainst(parallelRun, undefined)).toBeUndefined();
    expect(speedUpAgainst(parallelRun, { ...baseline, phases: [1, 2] })).toBeUndefined();
    const partly = buildPlanRunReport(plan, 'x', [run(1, 'cache hit', 0, 10), run(2, 'ran', 10, 1000), run(3, 'ran', 10, 900)], new Map(), 3);
    expect(speedUpAgainst(partly, baseline)).toBeUndefined();
  });

  it('keeps only well-formed entries read from disk', () => {
    const good: SequentialBaseline = { phases: [1, 2], makespanMs: 10, recordedAt: '2026-01-02T03:04:05.000Z' };
    expect(validBaselines({ a: good, b: { ...good, phases: ['x'] }, c: { ...good, makespanMs: -1 }, d: 'nope', e: { ...good, recordedAt: 'never' } })).toEqual({ a: good });
    expect(validBaselines([good])).toEqual({});
    expect(validBaselines(null)).toEqual({});
  });
});

describe('speedUpLines', () => {
  it('names the baseline it measured against', () => {
    const baseline = baselineOf(sequentialRun, at)!;
    expect(speedUpLines({ ...parallelRun, speedUp: speedUpAgainst(parallelRun, baseline) })).toEqual([
      '  speed-up 1.33× against the measured sequential baseline: the --parallel=1 run of the same 3 phases at 2026-01-02T03:04:05.000Z took 4.0 s',
    ]);
  });

  it('says when a run is the baseline, and when none was measured', () => {
    expect(speedUpLines(sequentialRun)[0]).toContain('recorded as the sequential baseline for these 3 phases');
    expect(speedUpLines(parallelRun)).toEqual([
      '  speed-up: not measured (no sequential baseline of these 3 phases; run them once with --parallel=1 --skip-nx-cache to record one)',
    ]);
  });

  it('says nothing about speed for a run with cache hits', () => {
    const cached = buildPlanRunReport(plan, 'x', [run(1, 'cache hit', 0, 10), run(2, 'ran', 10, 1000)], new Map(), 3);
    expect(speedUpLines(cached)).toEqual([]);
  });
});
