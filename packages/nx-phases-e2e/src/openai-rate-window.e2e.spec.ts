import type { NxRun } from './utils/e2e-workspace';
import { runPhasesAsync } from './utils/nx-async';
import { manifestUsage, reportMeasurement } from './utils/openai-plan';
import { analyseRequestLog, openaiGenerator, readRequestLog, startScenarioServer, type OpenAITestServer } from './utils/openai-server';
import { analyseStarts, recordLimiterStarts } from './utils/limiter-state';
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
  let recordedStarts: number[];

  beforeAll(async () => {
    ({ server, logFile } = await startScenarioServer(scenario.state, 'openai-rate-window', { latencyMs: 20 }));
    const plan: PlanDocument = { name: 'windowed', generator: openaiGenerator(server.url), rateLimit: limits, phases };
    writePlan(workspace.root, appDir, plan);
    workspace.commitAll('windowed plan');
    const recorder = recordLimiterStarts(workspace.root);
    run = await runPhasesAsync(workspace, ['--parallel=6'], { env: { OPENAI_API_KEY: 'e2e-not-a-secret' } });
    recordedStarts = recorder.stop();
  });

  afterAll(async () => {
    await server?.close();
  });

  // The window is the sender's promise: it is checked on the send times the limiter recorded, not on arrival times
  // at the server, which also carry the machine's scheduling delays (the server here is the test process itself).
  it('sends 22 requests, never more than 20 in any 60 s window, the 21st a full window after the 1st (limiter records)', () => {
    const log = readRequestLog(logFile);
    const arrivals = log.map((e) => e.arrivedAt).sort((a, b) => a - b);
    const analysis = analyseRequestLog(log, limits);
    const sent = analyseStarts(recordedStarts);
    const waits = phases.map((p) => manifestUsage(workspace.path(appDir), p.number).waitMs);
    reportMeasurement('60 s window run', {
      ...analysis,
      recordedMaxInWindow: sent.maxInWindow,
      twentyFirstAfterFirstMs: recordedStarts[20] - recordedStarts[0],
      twentySecondAfterSecondMs: recordedStarts[21] - recordedStarts[1],
      arrivalsTwentyFirstAfterFirstMs: arrivals[20] - arrivals[0],
      firstTwentySpanMs: recordedStarts[19] - recordedStarts[0],
      longestWaitMs: Math.max(...waits),
    });
    withOutput(run, () => {
      expect(log.map((e) => e.status)).toEqual(Array(22).fill(200));
      expect(analysis.violations.concurrency).toBe(0);
      expect(recordedStarts).toHaveLength(22);
      expect(sent.maxInWindow).toBe(20);
      expect(recordedStarts[20] - recordedStarts[0]).toBeGreaterThanOrEqual(60_000);
      expect(recordedStarts[21] - recordedStarts[1]).toBeGreaterThanOrEqual(60_000);
    });
  });
});
