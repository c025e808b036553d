import { existsSync, readFileSync } from 'node:fs';
import type { PlanRunReport } from '../../nx-phases/src/report/run-report';
import { openBrowser, type Browser } from './utils/browser';
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
  /** The first run's `.nx/nx-phases/last-run.json` plan and Gantt page (the re-run below replaces them). */
  let report: PlanRunReport;
  let ganttPage: string;
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
    report = JSON.parse(readFileSync(workspace.path('.nx/nx-phases/last-run.json'), 'utf8')).plans[0];
    ganttPage = readFileSync(workspace.path('.nx/nx-phases/last-run.html'), 'utf8');
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
  it('the JSON report gives each phase its attempts, a failed phase its checks and last diagnostics, and the run its rates', () => {
    const phase = (number: number) => report.phases.find((entry) => entry.number === number)!;
    expect([1, 2, 3, 4, 5].map((number) => [number, phase(number).status, phase(number).attempts])).toEqual([
      [1, 'ran', 1],
      [2, 'ran', 2],
      [3, 'failed', 2],
      [4, 'failed', 1],
      [5, 'failed', 1],
    ]);
    expect(phase(3).checks!.map((check) => check.passed)).toEqual([false, false]);
    expect(phase(3).lastDiagnostics).toEqual(['src/never.ts:1:1 error TS2322: export const value = 1; // BROKEN value']);
    expect(phase(5).lastDiagnostics).toEqual([]);
    expect(report.checks).toEqual({ checked: 5, firstPass: 1, repaired: 1, failed: 3, attempts: 7, firstPassRate: 0.2, retryRate: 0.8 });
    expect(first.output).toContain('checks: 5 phases ran with a check: 1 passed first time (20 %), 1 repaired, 3 failed their check, 7 attempts: retry rate 80 %');
  });

  it('the Gantt chart draws generate, check and repair as segments of the bar, where the recorded times put them (Chromium)', async () => {
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      await page.setContent(ganttPage);
      for (const number of [2, 3]) {
        const entry = report.phases.find((phase) => phase.number === number)!;
        const drawn = await page.locator(`svg.gantt g.bar-group[data-phase="${number}"]`).evaluate((group) => {
          const box = (element: { getBoundingClientRect(): { left: number; right: number; top: number; bottom: number } }) => element.getBoundingClientRect();
          const bar = box(group.querySelector('rect.bar')!);
          const segments = [...group.querySelectorAll('rect.segment')].map((rect) => ({ kind: rect.classList[1], attempt: Number(rect.getAttribute('data-attempt')), left: box(rect).left, right: box(rect).right, top: box(rect).top, bottom: box(rect).bottom }));
          return { bar: { left: bar.left, right: bar.right, top: bar.top, bottom: bar.bottom }, segments };
        });
        expect(drawn.segments.map((segment) => `${segment.kind} ${segment.attempt}`)).toEqual(['generate 1', 'check 1', 'repair 2', 'check 2']);
        expect(entry.segments!.map((segment) => `${segment.kind} ${segment.attempt}`)).toEqual(['generate 1', 'check 1', 'repair 2', 'check 2']);
        // The bar spans the task's duration: each segment sits at its recorded offset within it, inside the bar.
        const pxPerMs = (drawn.bar.right - drawn.bar.left) / entry.durationMs;
        drawn.segments.forEach((segment, index) => {
          const recorded = entry.segments![index];
          expect(Math.abs(segment.left - (drawn.bar.left + recorded.fromMs * pxPerMs))).toBeLessThan(1.5);
          expect(Math.abs(segment.right - (drawn.bar.left + Math.max(recorded.toMs * pxPerMs, recorded.fromMs * pxPerMs + 1)))).toBeLessThan(1.5);
          expect(segment.top).toBeGreaterThan(drawn.bar.top);
          expect(segment.bottom).toBeLessThan(drawn.bar.bottom);
          if (index > 0) expect(segment.left).toBeGreaterThanOrEqual(drawn.segments[index - 1].right - 1.5);
        });
      }
      expect(await page.locator('svg.gantt g.bar-group[data-phase="3"] > title').textContent()).toContain('2 attempts (1 repair); last check: src/never.ts:1:1 error TS2322');
    } finally {
      await browser.close();
    }
  });
});
