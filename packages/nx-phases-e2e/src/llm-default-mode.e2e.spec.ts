import type { NxRun } from './utils/e2e-workspace';
import { runPhasesAsync } from './utils/nx-async';
import { openaiGenerator, readRequestLog, startScenarioServer, type OpenAITestServer } from './utils/openai-server';
import { phaseProjectName, writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { withOutput } from './utils/with-output';

/**
 * Issue 22: the default `nx run-many -t phase` runs an openai plan's phases in one batch worker (their executor,
 * nx-phases:phase-io, declares preferBatch), `--no-batch` forks one process per phase, and the batch worker does not
 * hold the run after the last phase (it used to add 5 s: Nx's end-of-run SIGTERM waited out our grace period).
 */
describe('an openai plan with the default command', () => {
  const scenario = createScenario('llm-default-mode');
  const { workspace } = scenario;
  const env = { OPENAI_API_KEY: 'e2e-not-a-secret' };
  // 1 → {2, 3, 4} → 5: three answers on the critical path.
  const phases = [1, 2, 3, 4, 5].map((n) => ({
    number: n,
    name: `Part ${n}`,
    features: [`Feature ${n}`],
    dependencies: n === 1 ? [] : n === 5 ? [2, 3, 4] : [1],
    plannedFiles: [`src/part${n}.ts`],
  }));
  let server: OpenAITestServer | undefined;
  let logFile: string;

  beforeAll(async () => {
    ({ server, logFile } = await startScenarioServer(scenario.state, 'llm-default-mode', { latencyMs: 1500 }));
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Runs the plan under a new model name (so nothing is cached or reusable) and times it against the server log. */
  async function timedRun(model: string, args: string[]): Promise<{ run: NxRun; beforeFirstCallMs: number; afterLastAnswerMs: number }> {
    const plan: PlanDocument = { name: 'llm', generator: openaiGenerator(server!.url, { model }), phases };
    writePlan(workspace.root, 'apps/llm', plan);
    workspace.commitAll(`plan for ${model}`);
    const started = Date.now();
    const run = await runPhasesAsync(workspace, ['--parallel=3', ...args], { env });
    const ended = Date.now();
    const mine = readRequestLog(logFile).filter((entry) => (entry.body as { model?: string }).model === model);
    expect(mine.map((entry) => entry.status)).toEqual([200, 200, 200, 200, 200]);
    return {
      run,
      beforeFirstCallMs: Math.min(...mine.map((e) => e.arrivedAt)) - started,
      afterLastAnswerMs: ended - Math.max(...mine.map((e) => e.finishedAt)),
    };
  }

  it('runs the phases in one batch worker by default, and one process per phase with --no-batch', async () => {
    const batched = await timedRun('default-model', []);
    withOutput(batched.run, () => {
      expect(batched.run.output).toContain('Running 5 tasks with nx-phases:phase-io');
      expect(workspace.showProject(phaseProjectName({ name: 'llm', phases }, 1)).targets.phase.executor).toBe('nx-phases:phase-io');
    });
    // The tail after the last answer (Nx caching the batch, the aggregate target, the exit) against the start before
    // the first call (Nx start-up, forking and loading the worker, the first phase's snapshot and prompt), in one run.
    console.log(`default run: ${batched.beforeFirstCallMs} ms before the first call, ${batched.afterLastAnswerMs} ms after the last answer`);
    expect(batched.afterLastAnswerMs / batched.beforeFirstCallMs).toBeLessThan(1);
    const forked = await timedRun('no-batch-model', ['--no-batch']);
    withOutput(forked.run, () => {
      expect(forked.run.output).not.toContain('with nx-phases:phase-io');
      expect(forked.run.ran).toHaveLength(5);
    });
  });
});
