import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeAuthorization, type AuthorizationProbe } from './utils/authorization-probe';
import type { NxRun } from './utils/e2e-workspace';
import { runPhasesAsync } from './utils/nx-async';
import { failedTasks } from './utils/nx-output';
import { reportMeasurement } from './utils/openai-plan';
import { openaiGenerator, phaseHeading, readRequestLog, startScenarioServer, type OpenAITestServer } from './utils/openai-server';
import { phaseProjectName, writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { plantedApiKey, scanForSecret } from './utils/secret-scan';
import { withOutput } from './utils/with-output';

/**
 * Issue 4, "no leaked secrets": a planted API key, used by a successful run and by a failing run whose
 * server errors and replies echo it, appears in no file Nx or the plugin writes and in no task output.
 * A missing key fails before any request.
 */
describe('nx-phases:openai never leaks the API key', () => {
  const scenario = createScenario('openai-secrets');
  const { workspace } = scenario;
  const planted = plantedApiKey();
  const secondKey = plantedApiKey();
  const tmpDir = join(scenario.state.tempRoot, 'tmp', 'openai-secrets');
  const envWith = (key: string | undefined) => ({ OPENAI_API_KEY: key, E2E_CUSTOM_KEY: undefined, TMPDIR: tmpDir });
  const rateLimit = { maxConcurrentRequests: 3, minDelayBetweenMs: 0, requestsPerMinute: 600 };
  const runs: NxRun[] = [];
  let server: OpenAITestServer | undefined;
  let probe: AuthorizationProbe | undefined;
  let logFile: string;
  let okPlan: PlanDocument;
  let failPlan: PlanDocument;
  let okRun: NxRun;
  let failRun: NxRun;

  const planFor = (name: string, phases: PlanDocument['phases'], options: Record<string, unknown> = {}): PlanDocument => ({
    name,
    generator: openaiGenerator(server!.url, options),
    rateLimit,
    phases,
  });
  const run = async (key: string | undefined, args: string[]) => {
    const result = await runPhasesAsync(workspace, ['--parallel=3', ...args], { env: envWith(key), allowFailure: true });
    runs.push(result);
    return result;
  };

  beforeAll(async () => {
    mkdirSync(tmpDir, { recursive: true });
    ({ server, logFile } = await startScenarioServer(scenario.state, 'openai-secrets', {
      latencyMs: 20,
      steps: [
        { kind: 'status', status: 401, echoAuthorization: true, message: 'Incorrect API key provided', match: phaseHeading(2, 'Locked') },
        // Both attempts of Echo (maxRetries: 1) get a reply that quotes the key back.
        { kind: 'content', content: `I cannot do that. You sent me ${planted.key}, which is not valid.`, match: phaseHeading(3, 'Echo') },
        { kind: 'content', content: `I cannot do that. You sent me ${planted.key}, which is not valid.`, match: phaseHeading(3, 'Echo') },
        { kind: 'status', status: 500, echoAuthorization: true, message: 'Internal error', match: phaseHeading(4, 'Flaky') },
      ],
    }));
    probe = probeAuthorization(server.port);
    okPlan = planFor('secretok', [
      { number: 1, name: 'Setup', plannedFiles: ['src/app.ts'] },
      { number: 2, name: 'Api', dependencies: [1], plannedFiles: ['src/api.ts'] },
      { number: 3, name: 'Ui', dependencies: [1], plannedFiles: ['src/ui.ts'] },
    ]);
    failPlan = planFor(
      'secretfail',
      [
        { number: 1, name: 'Open', plannedFiles: ['src/open.ts'] },
        { number: 2, name: 'Locked', dependencies: [1], plannedFiles: ['src/locked.ts'] },
        { number: 3, name: 'Echo', dependencies: [1], plannedFiles: ['src/echo.ts'] },
        { number: 4, name: 'Flaky', dependencies: [1], plannedFiles: ['src/flaky.ts'] },
      ],
      { maxRetries: 1 },
    );
    writePlan(workspace.root, 'apps/secret-ok', okPlan);
    writePlan(workspace.root, 'apps/secret-fail', failPlan);
    workspace.commitAll('secret plans');
    okRun = await run(planted.key, ['--projects=tag:phase-plan:secretok']);
    failRun = await run(planted.key, ['--projects=tag:phase-plan:secretfail']);
  });

  afterAll(async () => {
    probe?.stop();
    await server?.close();
  });

  it('the key reached the server with every request (counted in memory, never logged)', () => {
    const requests = readRequestLog(logFile).length;
    reportMeasurement('secret runs', { requests, withPlantedKey: probe!.withKey(planted.key) });
    expect(requests).toBe(3 + 1 + 1 + 2 + 2); // ok plan; Open, Locked, Echo ×2, Flaky ×2
    expect(probe!.withKey(planted.key)).toBe(requests);
  });

  it('the successful run commits every phase', () => {
    withOutput(okRun, () => {
      expect(okRun.status).toBe(0);
      expect(okRun.ran).toEqual([1, 2, 3].map((n) => phaseProjectName(okPlan, n)).sort());
    });
  });

  it('the failing run fails Locked (401, not retried) and Echo, with the echoed key redacted', () => {
    withOutput(failRun, () => {
      expect(failRun.status).not.toBe(0);
      expect(failRun.output).toContain('Incorrect API key provided (Authorization: Bearer ***)');
      expect(failRun.output).toContain('The server rejected the API key in OPENAI_API_KEY');
      expect(failRun.output).toContain('Reply starts: "I cannot do that. You sent me ***, which is not valid."');
      // Nx lists failed tasks in completion order; Locked and Echo run concurrently, so compare the set.
      expect(failedTasks(failRun.output)).toEqual(['secretfail-2-locked:phase', 'secretfail-3-echo:phase']);
      const locked = readRequestLog(logFile).filter((e) => e.status === 401);
      expect(locked).toHaveLength(1);
    });
  });

  it('a different key changes no cache key: a re-run is all cache hits, with no request', async () => {
    const before = readRequestLog(logFile).length;
    const rerun = await run(secondKey.key, ['--projects=tag:phase-plan:secretok']);
    withOutput(rerun, () => {
      expect(rerun.status).toBe(0);
      expect(rerun.ran).toEqual([]);
      expect(readRequestLog(logFile)).toHaveLength(before);
    });
  });

  it('a missing key fails with "Set OPENAI_API_KEY (or options.apiKeyEnv)" and sends no request', async () => {
    const keyless: PlanDocument = {
      ...planFor('secretnokey', [{ number: 1, name: 'Keyless', plannedFiles: ['src/keyless.ts'] }]),
    };
    keyless.phases.push({ number: 2, name: 'Custom', plannedFiles: ['src/custom.ts'], generator: openaiGenerator(server!.url, { apiKeyEnv: 'E2E_CUSTOM_KEY' }) });
    writePlan(workspace.root, 'apps/secret-nokey', keyless);
    workspace.commitAll('keyless plan');
    const before = probe!.total();
    const result = await run(undefined, ['--projects=tag:phase-plan:secretnokey']);
    withOutput(result, () => {
      expect(result.status).not.toBe(0);
      expect(result.output).toContain('Set OPENAI_API_KEY (or options.apiKeyEnv)');
      expect(result.output).toContain('Set E2E_CUSTOM_KEY (named by options.apiKeyEnv)');
      expect(probe!.total()).toBe(before);
    });
  });

  it('the scan finds a planted key (the scan itself works)', () => {
    const canary = join(tmpDir, 'canary.txt');
    writeFileSync(canary, `prefix ${planted.key} suffix`);
    expect(scanForSecret([tmpDir], [planted.key]).hits).toEqual([canary]);
    writeFileSync(canary, 'no secret here');
  });

  it('neither key appears in any file of the workspace, the Nx cache, HOME, TMPDIR, the server log or any nx output', () => {
    const needles = [planted.key, planted.randomPart, secondKey.key, secondKey.randomPart];
    const scan = scanForSecret([workspace.root, workspace.home, tmpDir, logFile], needles);
    const covered = {
      manifests: scan.files.filter((f) => f.endsWith('manifest.json')).length,
      lastRun: scan.files.filter((f) => f.endsWith(join('.nx', 'nx-phases', 'last-run.json'))).length,
      limiterState: scan.files.filter((f) => f.includes(join('nx-phases', 'rate-limit')) && f.endsWith('state.json')).length,
      terminalOutputs: scan.files.filter((f) => f.includes('terminalOutputs')).length,
      homeNxFiles: scan.files.filter((f) => f.startsWith(join(workspace.home, '.nx'))).length,
    };
    reportMeasurement('secret scan', { filesScanned: scan.files.length, ...covered });
    expect(scan.hits).toEqual([]);
    expect(runs.filter((r) => needles.some((needle) => r.output.includes(needle))).map((r) => r.commandLine)).toEqual([]);
    expect(covered.manifests).toBeGreaterThanOrEqual(5);
    expect(Object.values(covered).every((count) => count > 0)).toBe(true);
  });
});
