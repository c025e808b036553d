import type { NxRun } from './utils/e2e-workspace';
import { runPhasesAsync } from './utils/nx-async';
import { manifestUsage, reportMeasurement } from './utils/openai-plan';
import { analyseRequestLog, openaiGenerator, readRequestLog, startScenarioServer, type OpenAITestServer } from './utils/openai-server';
import { writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { withOutput } from './utils/with-output';

/**
 * Issue 4, "no 60 s window over 20", with more than 20 requests: 22 independent openai phases under
 * `requestsPerMinute: 20` must put the 21st and 22nd request a full window after the 1st and 2nd.
 * This is the slow file of the suite (about a minute): only a run longer than the window can show the rule.
 */
describe('nx-phases:openai under real Nx: requestsPerMinute holds over a 60 s window', () => {
  const scenario = createScenario('openai-rate-window');
  const { workspace } = scenario;
  const appDir = 'apps/windowed';
  const limits = { maxConcurrentRequests: 4, minDelayBetweenMs: 0, requestsPerMinute: 20 };
  const phases = Array.from({ length: 22 }, (_, i) => ({ number: i + 1, name: `Part ${i + 1}`, plannedFiles: [`src/part-${i + 1}.ts`] }));
  let server: OpenAITestServer | undefined;
  let logFile: string;
  let run: NxRun;

  beforeAll(async () => {
    ({ server, logFile } = await startScenarioServer(scenario.state, 'openai-rate-window', { latencyMs: 20 }));
    const plan: PlanDocument = { name: 'windowed', generator: openaiGenerator(server.url), rateLimit: limits, phases };
    writePlan(workspace.root, appDir, plan);
    workspace.commitAll('windowed plan');
    run = await runPhasesAsync(workspace, ['--parallel=6'], { env: { OPENAI_API_KEY: 'e2e-not-a-secret' } });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('sends 22 requests, never more than 20 in any 60 s window, the 21st a full window after the 1st', () => {
    const log = readRequestLog(logFile);
    const arrivals = log.map((e) => e.arrivedAt).sort((a, b) => a - b);
    const analysis = analyseRequestLog(log, limits);
    const waits = phases.map((p) => manifestUsage(workspace.path(appDir), p.number).waitMs);
    reportMeasurement('60 s window run', {
      ...analysis,
      twentyFirstAfterFirstMs: arrivals[20] - arrivals[0],
      twentySecondAfterSecondMs: arrivals[21] - arrivals[1],
      firstTwentySpanMs: arrivals[19] - arrivals[0],
      longestWaitMs: Math.max(...waits),
    });
    withOutput(run, () => {
      expect(log.map((e) => e.status)).toEqual(Array(22).fill(200));
      expect(analysis.violations).toEqual({ concurrency: 0, spacing: 0, window: 0 });
      expect(analysis.maxInWindow).toBe(20);
      expect(arrivals[20] - arrivals[0]).toBeGreaterThanOrEqual(60_000);
      expect(arrivals[21] - arrivals[1]).toBeGreaterThanOrEqual(60_000);
    });
  });
});
