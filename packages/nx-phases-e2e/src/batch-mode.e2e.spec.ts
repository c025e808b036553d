import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { appStateWithoutTimings } from './utils/app-state';
import type { NxRun } from './utils/e2e-workspace';
import { readGeneratorLog } from './utils/generator-log';
import { runPhasesAsync } from './utils/nx-async';
import { taskOutputBlocks } from './utils/nx-output';
import { manifestUsage, okStepFor } from './utils/openai-plan';
import { analyseStarts, recordLimiterStarts } from './utils/limiter-state';
import { analyseRequestLog, openaiGenerator, readRequestLog, requestsOfPhase, startScenarioServer, type OpenAITestServer } from './utils/openai-server';
import { commandGenerator } from './utils/phase-command';
import { phaseProjectName, writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { schedulePlan } from './utils/schedule-plan';
import { withOutput } from './utils/with-output';

/**
 * Issue 10: `nx run-many -t phase --batch` runs the phases in one worker process. Every guarantee of a plain run
 * must hold: isolated snapshots, validated atomic commits, schedule independence, per-phase cache entries with
 * each phase's own terminal output, plain CI progress lines, and the shared rate limiter.
 */
describe('batch mode: the same results as a plain run', () => {
  const scenario = createScenario('batch-schedule');
  const { workspace } = scenario;
  const app = (...parts: string[]) => workspace.path('apps/bsched', ...parts);
  const plan = schedulePlan('bsched', commandGenerator(scenario.command({ randomSleepMs: 400 })));
  const numbers = plan.phases.map((p) => p.number);
  const clearApp = () => {
    for (const name of readdirSync(app())) if (name !== 'phases.json' && name !== 'docs') rmSync(app(name), { recursive: true, force: true });
  };
  /** Phase number → the files its generator found in its snapshot, from the generator log. */
  const snapshotListings = () => new Map(readGeneratorLog(scenario.logFile).filter((e) => e.event === 'start').map((e) => [e.phase, e.seen]));
  let reference: Record<string, string>;
  let referenceListings: Map<number, string[] | undefined>;

  beforeAll(() => {
    writePlan(workspace.root, 'apps/bsched', plan);
    mkdirSync(app('docs'), { recursive: true });
    writeFileSync(app('docs', 'spec.md'), '# Spec\n');
    workspace.commitAll('batch schedule plan');
    const run = workspace.runPhases(['--parallel=1', '--skip-nx-cache']);
    withOutput(run, () => expect(scenario.calls()).toEqual(numbers));
    reference = appStateWithoutTimings(app());
    referenceListings = snapshotListings();
  });

  it.each([1, 4])('--batch --parallel=%i: one worker calls each generator once, with the same snapshots, and commits byte-identical files and records', (parallel) => {
    clearApp();
    scenario.resetCalls();
    const run = workspace.runPhases(['--batch', `--parallel=${parallel}`, '--skip-nx-cache']);
    withOutput(run, () => {
      expect(run.output).toContain(`Running ${numbers.length} tasks with nx-phases:phase`);
      expect(scenario.calls()).toEqual(numbers);
      expect(snapshotListings()).toEqual(referenceListings);
    });
    expect(appStateWithoutTimings(app())).toEqual(reference);
  });

  describe('a batch run that may use the cache', () => {
    let batch: NxRun;
    let plain: NxRun;

    beforeAll(() => {
      clearApp();
      scenario.resetCalls();
      batch = workspace.runPhases(['--batch', '--parallel=4']);
      plain = workspace.runPhases(['--parallel=4']);
    });

    it('stores one cache entry per phase: a plain run afterwards is all cache hits and calls no generator', () => {
      withOutput(plain, () => {
        expect(scenario.calls()).toEqual(numbers);
        expect(plain.ran).toEqual([]);
        expect([...plain.outcomes.keys()].sort()).toEqual(numbers.map((n) => phaseProjectName(plan, n)).sort());
      });
      expect(appStateWithoutTimings(app())).toEqual(reference);
    });

    it("gives each phase its own terminal output, live and replayed from the cache", () => {
      for (const run of [batch, plain]) {
        const blocks = taskOutputBlocks(run.output);
        withOutput(run, () => {
          for (const phase of plan.phases) {
            const block = blocks.get(phaseProjectName(plan, phase.number)) ?? '';
            const dependencies = phase.number === 1 ? 0 : new Set(transitive(plan, phase.number)).size;
            expect({ phase: phase.number, snapshots: block.match(/✔ Snapshot \(\d+ files? from \d+ phases?\)/g) }).toEqual({
              phase: phase.number,
              snapshots: [expect.stringContaining(`from ${dependencies} phase${dependencies === 1 ? '' : 's'})`)],
            });
            expect(block.match(/✔ Committing/g)).toHaveLength(1);
          }
        });
      }
    });

    it('prints one plain line per phase step (no listr2 events, no cursor movement), as CI logs need', () => {
      withOutput(batch, () => {
        expect(batch.output).toMatch(/✔ Running the command \(timeout \d+ ms\)\n/);
        expect(batch.output).not.toMatch(/\[(STARTED|TITLE|COMPLETED|FAILED)\]/);
        expect(batch.output).not.toMatch(/\u001b\[\d*[ABCDGJK]/);
      });
    });
  });
});

describe('batch mode: the plan rateLimit holds inside one worker', () => {
  const scenario = createScenario('batch-rate-limit');
  const { workspace } = scenario;
  const appDir = 'apps/blimited';
  const limits = { maxConcurrentRequests: 2, minDelayBetweenMs: 300, requestsPerMinute: 20 };
  const phases = [1, 2, 3, 4, 5, 6].map((n) => ({
    number: n,
    name: `Part ${n}`,
    features: [`Feature ${n}`],
    dependencies: n === 1 ? [] : n === 6 ? [2, 3, 4, 5] : [1],
    plannedFiles: [`src/part${n}.ts`],
  }));
  const env = { OPENAI_API_KEY: 'e2e-not-a-secret' };
  let server: OpenAITestServer | undefined;
  let logFile: string;
  let run: NxRun;
  let recordedStarts: number[];

  beforeAll(async () => {
    ({ server, logFile } = await startScenarioServer(scenario.state, 'batch-rate-limit', { latencyMs: { min: 400, max: 800 }, steps: phases.map(okStepFor) }));
    writePlan(workspace.root, appDir, { name: 'blimited', generator: openaiGenerator(server.url), rateLimit: limits, phases });
    workspace.commitAll('batch limited plan');
    const recorder = recordLimiterStarts(workspace.root);
    run = await runPhasesAsync(workspace, ['--batch', '--parallel=4'], { env });
    recordedStarts = recorder.stop();
  });

  afterAll(async () => {
    await server?.close();
  });

  // Spacing is checked on the send times the limiter recorded (arrivals also carry the machine's delays); the 60 s
  // window needs more than 20 requests to show anything (openai-rate-window.e2e).
  it('keeps ≤ 2 requests in flight (server log), sends them ≥ 300 ms apart (limiter records), one request per phase', () => {
    withOutput(run, () => {
      expect(run.output).toContain('with nx-phases:phase');
      const log = readRequestLog(logFile);
      expect(phases.map((p) => requestsOfPhase(log, p.number, p.name).length)).toEqual([1, 1, 1, 1, 1, 1]);
      expect(phases.map((p) => manifestUsage(workspace.path(appDir), p.number).calls)).toEqual([1, 1, 1, 1, 1, 1]);
      expect(analyseRequestLog(log, limits).violations.concurrency).toBe(0);
      expect(recordedStarts).toHaveLength(6);
      expect(analyseStarts(recordedStarts).minGapMs).toBeGreaterThanOrEqual(limits.minDelayBetweenMs);
    });
  });
});

/** Transitive dependencies of phase `n` in a plan document. */
function transitive(plan: PlanDocument, n: number): number[] {
  const deps = plan.phases.find((p) => p.number === n)!.dependencies ?? [];
  return deps.flatMap((d) => [d, ...transitive(plan, d)]);
}
