import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NxRun } from './utils/e2e-workspace';
import { listFiles } from './utils/folder-snapshot';
import { runPhasesAsync } from './utils/nx-async';
import { commitMismatches, manifestUsage, okStepFor, reportMeasurement, serverFilesOf } from './utils/openai-plan';
import { openaiGenerator, phaseHeading, readRequestLog, requestsOfPhase, startScenarioServer, type OpenAITestServer } from './utils/openai-server';
import { phaseOf, phaseProjectName, writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { withOutput } from './utils/with-output';

/**
 * Issue 4, "Faults", through real Nx: a 429 with Retry-After: 2 is honoured and retried; malformed then
 * truncated output (maxRetries: 1) fails the phase loudly with nothing committed, while its siblings commit.
 */
describe('nx-phases:openai faults through nx run-many', () => {
  const scenario = createScenario('openai-faults');
  const { workspace } = scenario;
  const appDir = 'apps/faulty';
  const app = (...parts: string[]) => workspace.path(appDir, ...parts);
  const malformed = 'Sure! Here are the files you asked for: {"files": [ {"path": "src/garbled.ts", oops';
  const truncated = `{"files":[{"path":"src/garbled.ts","content":"export const garbled = ${'1 + '.repeat(80)}`;
  let server: OpenAITestServer | undefined;
  let logFile: string;
  let plan: PlanDocument;
  let run: NxRun;

  beforeAll(async () => {
    const phases = [
      { number: 1, name: 'Setup', domain: 'setup', features: ['Shell'], plannedFiles: ['src/app.ts'] },
      { number: 2, name: 'Throttled', features: ['Busy server'], dependencies: [1], plannedFiles: ['src/throttled.ts'] },
      { number: 3, name: 'Garbled', features: ['Bad replies'], dependencies: [1], plannedFiles: ['src/garbled.ts'] },
      { number: 4, name: 'Sibling', features: ['Fine'], dependencies: [1], plannedFiles: ['src/sibling.ts'] },
      { number: 5, name: 'After Garbled', features: ['Later'], dependencies: [3], plannedFiles: ['src/after-garbled.ts'] },
    ];
    ({ server, logFile } = await startScenarioServer(scenario.state, 'openai-faults', {
      latencyMs: 50,
      steps: [
        okStepFor(phases[0]),
        { kind: 'status', status: 429, headers: { 'retry-after': '2' }, message: 'Slow down', match: phaseHeading(2, 'Throttled') },
        okStepFor(phases[1]),
        { kind: 'content', content: malformed, match: phaseHeading(3, 'Garbled') },
        { kind: 'content', content: truncated, finishReason: 'length', match: phaseHeading(3, 'Garbled') },
        okStepFor(phases[3]),
      ],
    }));
    plan = {
      name: 'faulty',
      generator: openaiGenerator(server.url),
      rateLimit: { maxConcurrentRequests: 3, minDelayBetweenMs: 0, requestsPerMinute: 600 },
      phases: phases.map((p) => (p.number === 3 ? { ...p, generator: openaiGenerator(server!.url, { maxRetries: 1 }) } : p)),
    };
    writePlan(workspace.root, appDir, plan);
    workspace.commitAll('faulty plan');
    run = await runPhasesAsync(workspace, ['--parallel=3'], { env: { OPENAI_API_KEY: 'e2e-not-a-secret' }, allowFailure: true });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('429 + Retry-After: 2 → the next attempt arrives ≥ 2 s after the 429 was answered, and the phase commits', () => {
    const [throttled, retry, ...more] = requestsOfPhase(readRequestLog(logFile), 2, 'Throttled');
    reportMeasurement('retry-after gap', {
      fromArrivalMs: retry?.arrivedAt - throttled?.arrivedAt,
      fromAnswerMs: retry?.arrivedAt - throttled?.finishedAt,
      usage: manifestUsage(app(), 2),
    });
    withOutput(run, () => {
      expect([throttled?.status, retry?.status, more.length]).toEqual([429, 200, 0]);
      expect(retry.arrivedAt - throttled.finishedAt).toBeGreaterThanOrEqual(2000);
      expect(run.outcomes.get(phaseProjectName(plan, 2))).toBe('ran');
      expect(commitMismatches(app(), phaseOf(plan, 2), serverFilesOf(phaseOf(plan, 2)))).toEqual([]);
      const usage = manifestUsage(app(), 2);
      expect(usage.retries).toBeGreaterThanOrEqual(1);
      expect(usage.calls).toBe(2);
      expect(usage.waitMs).toBeGreaterThanOrEqual(2000);
      // The failed attempt plus its 2 s backoff is recorded as a retry interval for the run's Gantt chart.
      const manifest = JSON.parse(readFileSync(join(app(), '.phases', '2', 'manifest.json'), 'utf8')) as { waits?: Array<{ kind: string; fromMs: number; toMs: number }> };
      const retries = (manifest.waits ?? []).filter((wait) => wait.kind === 'retry');
      expect(retries).toHaveLength(1);
      expect(retries[0].toMs - retries[0].fromMs).toBeGreaterThanOrEqual(2000);
    });
  });

  it('malformed then truncated output with maxRetries: 1 → two attempts, then a clear failure quoting the reply', () => {
    const attempts = requestsOfPhase(readRequestLog(logFile), 3, 'Garbled');
    withOutput(run, () => {
      expect(attempts.map((e) => e.answer)).toEqual(['content', 'content']);
      expect(run.status).not.toBe(0);
      expect(run.output).toContain('nx-phases: phase 3 of apps/faulty/phases.json failed and committed nothing.');
      expect(run.output).toContain('gave up after 2 attempts (options.maxRetries is 1)');
      expect(run.output).toContain('cut short (finish_reason "length")');
      expect(run.output).toContain(`Reply starts: ${JSON.stringify(truncated.slice(0, 200))}…`);
    });
  });

  it('the failed phase commits nothing; its siblings commit the server\'s bytes; its dependent never asks', () => {
    expect(listFiles(app()).filter((path) => path.includes('garbled') || path.startsWith('.phases/3/') || path.startsWith('.phases/5/'))).toEqual([]);
    expect(existsSync(app('.phases', '3'))).toBe(false);
    const problems = [1, 2, 4].flatMap((n) => commitMismatches(app(), phaseOf(plan, n), serverFilesOf(phaseOf(plan, n))));
    expect(problems).toEqual([]);
    expect(requestsOfPhase(readRequestLog(logFile), 5, 'After Garbled')).toEqual([]);
    withOutput(run, () => expect(run.ran).not.toContain(phaseProjectName(plan, 5)));
  });
});
