import { existsSync, readFileSync } from 'node:fs';
import type { NxRun } from './utils/e2e-workspace';
import { runPhasesAsync } from './utils/nx-async';
import { failedTasks } from './utils/nx-output';
import { okStepFor } from './utils/openai-plan';
import { openaiGenerator, phaseHeading, promptOf, readRequestLog, startScenarioServer, type OpenAITestServer } from './utils/openai-server';
import { phaseProjectName, writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { withOutput } from './utils/with-output';

/**
 * Issue 19 through real Nx and the packed plugin, with a loopback OpenAI server scripted per phase. The check stands
 * in for a type-check: it prints a tsc-format diagnostic (`file(line,1): error TS…`) for every line holding BROKEN.
 */
describe('a check per phase, repaired within bounds (nx run-many)', () => {
  const scenario = createScenario('check-repair');
  const { workspace } = scenario;
  const appDir = 'apps/checked';
  const app = (...parts: string[]) => workspace.path(appDir, ...parts);
  const CHECK = `! grep -n BROKEN src/*.ts | awk -F: '{ print $1 "(" $2 ",1): error TS2322: " $3 }' | grep .`;
  const broken = (path: string, text = 'BROKEN value') => ({ path, content: `export const value = 1; // ${text}\n` });
  let server: OpenAITestServer | undefined;
  let logFile: string;
  let plan: PlanDocument;
  let first: NxRun;
  const env = { OPENAI_API_KEY: 'e2e-not-a-secret' };

  beforeAll(async () => {
    const phases = [
      { number: 1, name: 'Setup', domain: 'setup', plannedFiles: ['src/app.ts'] },
      { number: 2, name: 'Fixed', dependencies: [1], plannedFiles: ['src/fixed.ts'] },
      { number: 3, name: 'Never', dependencies: [1], plannedFiles: ['src/never.ts'], check: { command: CHECK, maxRepairs: 1 } },
      { number: 4, name: 'Missing', dependencies: [1], plannedFiles: ['src/missing.ts'], check: { command: CHECK, maxRepairs: 0 } },
      { number: 5, name: 'Hang', dependencies: [1], plannedFiles: ['src/hang.ts'], check: { command: 'sleep 600', timeoutSeconds: 2 } },
    ];
    ({ server, logFile } = await startScenarioServer(scenario.state, 'check-repair', {
      steps: [
        okStepFor(phases[0]),
        { kind: 'ok', match: phaseHeading(2, 'Fixed'), files: [broken('src/fixed.ts')] },
        { kind: 'ok', match: 'Phase 2 "Fixed": the check', files: [{ path: 'src/fixed.ts', content: 'export const value: number = 2;\n' }] },
        { kind: 'ok', match: phaseHeading(3, 'Never'), files: [broken('src/never.ts')] },
        { kind: 'ok', match: 'Phase 3 "Never": the check', files: [broken('src/never.ts')] },
        { kind: 'ok', match: phaseHeading(4, 'Missing'), files: [broken('src/missing.ts', "BROKEN Cannot find module './fixed'")] },
        okStepFor(phases[4]),
      ],
      fallback: { kind: 'status', status: 500, message: 'unscripted request' },
    }));
    plan = { name: 'checked', generator: openaiGenerator(server.url), check: { command: CHECK }, phases } as PlanDocument;
    writePlan(workspace.root, appDir, plan);
    workspace.commitAll('checked plan');
    first = await runPhasesAsync(workspace, ['--parallel=3'], { env, allowFailure: true });
  });

  afterAll(async () => {
    await server?.close();
  });

  const requestsOf = (text: string) => readRequestLog(logFile).filter((entry) => promptOf(entry).includes(text));

  it('a phase answered with failing code, then fixed: 1 repair, committed; a re-run makes 0 calls (cached)', async () => {
    withOutput(first, () => {
      expect(first.outcomes.get(phaseProjectName(plan, 2))).toBe('ran');
      expect(readFileSync(app('src/fixed.ts'), 'utf8')).toBe('export const value: number = 2;\n');
      const manifest = JSON.parse(readFileSync(app('.phases/2/manifest.json'), 'utf8'));
      expect(manifest.usage.calls).toBe(2);
      expect(manifest.checks.map((check: { passed: boolean }) => check.passed)).toEqual([false, true]);
    });
    const before = readRequestLog(logFile).length;
    const again = await runPhasesAsync(workspace, ['--parallel=3', `--projects=${phaseProjectName(plan, 2)}`], { env, allowFailure: true });
    withOutput(again, () => {
      expect(again.outcomes.get(phaseProjectName(plan, 2))).toBe('cache');
      expect(readRequestLog(logFile).length).toBe(before);
    });
  });

  it('a phase never fixed fails after maxRepairs with its diagnostics; nothing committed', () => {
    withOutput(first, () => {
      expect(failedTasks(first.output)).toContain(`${phaseProjectName(plan, 3)}:phase`);
      expect(requestsOf(phaseHeading(3, 'Never')).length + requestsOf('Phase 3 "Never": the check').length).toBe(2);
      expect(first.output).toContain('Phase 3 "Never": the check');
      expect(first.output).toContain('src/never.ts:1:1 error TS2322: export const value = 1; // BROKEN value');
      expect(existsSync(app('src/never.ts'))).toBe(false);
      expect(existsSync(app('.phases/3/manifest.json'))).toBe(false);
    });
  });

  it('a phase importing a file planned by a phase it does not depend on names the missing dependency', () => {
    withOutput(first, () => {
      expect(failedTasks(first.output)).toContain(`${phaseProjectName(plan, 4)}:phase`);
      expect(first.output).toContain("phase 4 imports src/fixed.ts, planned by phase 2, which it does not depend on: add 2 to phase 4's dependencies");
      expect(existsSync(app('src/missing.ts'))).toBe(false);
    });
  });

  it('a hanging check is stopped at its time limit', () => {
    withOutput(first, () => {
      expect(failedTasks(first.output)).toContain(`${phaseProjectName(plan, 5)}:phase`);
      expect(first.output).toContain('stopped at its time limit of 2 s');
      expect(existsSync(app('src/hang.ts'))).toBe(false);
    });
  });
});
