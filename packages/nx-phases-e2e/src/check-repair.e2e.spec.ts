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
 * Issue 19 through real Nx and the packed plugin, with a loopback OpenAI server scripted per phase. The check is the
 * workspace's real TypeScript (`tsc -p tsconfig.json`, from node_modules/.bin) over the phase's snapshot: phase 1
 * writes the tsconfig, the other phases write code that type-checks or not.
 */
describe('a check per phase, repaired within bounds (nx run-many)', () => {
  const scenario = createScenario('check-repair');
  const { workspace } = scenario;
  const appDir = 'apps/checked';
  const app = (...parts: string[]) => workspace.path(appDir, ...parts);
  const TYPE_CHECK = 'tsc -p tsconfig.json';
  const TSCONFIG = JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'esnext', moduleResolution: 'bundler', lib: ['es2022'], types: [] }, include: ['src/**/*.ts'] }, null, 2) + '\n';
  const ts = (path: string, content: string) => ({ path, content });
  let server: OpenAITestServer | undefined;
  let logFile: string;
  let plan: PlanDocument;
  let first: NxRun;
  /** The first run's `.nx/nx-phases/last-run.json` plan and Gantt page (the re-run below replaces them). */
  let report: PlanRunReport;
  let ganttPage: string;
  const env = { OPENAI_API_KEY: 'e2e-not-a-secret' };
  const neverFixed = ts('src/never.ts', 'export const never: number = "not a number";\n');

  beforeAll(async () => {
    const phases = [
      { number: 1, name: 'Setup', domain: 'setup', plannedFiles: ['tsconfig.json', 'src/app.ts'] },
      { number: 2, name: 'Fixed', dependencies: [1], plannedFiles: ['src/fixed.ts'] },
      // The plan-wide check, maxRepairs left at its default (2): three attempts.
      { number: 3, name: 'Never', dependencies: [1], plannedFiles: ['src/never.ts'] },
      { number: 4, name: 'Missing', dependencies: [1], plannedFiles: ['src/missing.ts'], check: { command: TYPE_CHECK, maxRepairs: 0 } },
      { number: 5, name: 'Hang', dependencies: [1], plannedFiles: ['src/hang.ts'], check: { command: 'sleep 600', timeoutSeconds: 2 } },
    ];
    ({ server, logFile } = await startScenarioServer(scenario.state, 'check-repair', {
      steps: [
        { kind: 'ok', match: phaseHeading(1, 'Setup'), files: [ts('tsconfig.json', TSCONFIG), ts('src/app.ts', 'export const app = 1;\n')] },
        { kind: 'ok', match: phaseHeading(2, 'Fixed'), files: [ts('src/fixed.ts', 'export const value: number = "two";\n')] },
        { kind: 'ok', match: 'Phase 2 "Fixed": the check', files: [ts('src/fixed.ts', 'export const value: number = 2;\n')] },
        // Phase 3's replies, twice: the first run, then the re-run that must not be a cache hit.
        ...[1, 2].flatMap(() => [
          { kind: 'ok' as const, match: phaseHeading(3, 'Never'), files: [neverFixed] },
          { kind: 'ok' as const, match: 'Phase 3 "Never": the check', files: [neverFixed] },
          { kind: 'ok' as const, match: 'Phase 3 "Never": the check', files: [neverFixed] },
        ]),
        // Imports phase 2's file without depending on phase 2: not in its snapshot, in any schedule.
        { kind: 'ok', match: phaseHeading(4, 'Missing'), files: [ts('src/missing.ts', "import { value } from './fixed';\nexport const missing = value;\n")] },
        okStepFor(phases[4]),
      ],
      fallback: { kind: 'status', status: 500, message: 'unscripted request' },
    }));
    plan = { name: 'checked', generator: openaiGenerator(server.url), check: { command: TYPE_CHECK }, phases } as PlanDocument;
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

  it('a phase never fixed fails after maxRepairs (default 2) with its diagnostics; nothing committed, nothing cached', async () => {
    const phase3Requests = () => requestsOf(phaseHeading(3, 'Never')).length + requestsOf('Phase 3 "Never": the check').length;
    withOutput(first, () => {
      expect(failedTasks(first.output)).toContain(`${phaseProjectName(plan, 3)}:phase`);
      expect(phase3Requests()).toBe(3);
      expect(first.output).toContain('Phase 3 "Never": the check `tsc -p tsconfig.json`');
      expect(first.output).toContain("src/never.ts:1:14 error TS2322: Type 'string' is not assignable to type 'number'.");
      expect(existsSync(app('src/never.ts'))).toBe(false);
      expect(existsSync(app('.phases/3/manifest.json'))).toBe(false);
    });
    // Not cached, by Nx or by the plugin's own reuse: the re-run pays for all three attempts again and fails the same way.
    const again = await runPhasesAsync(workspace, ['--parallel=3', `--projects=${phaseProjectName(plan, 3)}`], { env, allowFailure: true });
    withOutput(again, () => {
      expect(again.outcomes.get(phaseProjectName(plan, 3))).not.toBe('cache');
      expect(failedTasks(again.output)).toContain(`${phaseProjectName(plan, 3)}:phase`);
      expect(phase3Requests()).toBe(6);
      expect(again.output).toContain("src/never.ts:1:14 error TS2322: Type 'string' is not assignable to type 'number'.");
      expect(existsSync(app('src/never.ts'))).toBe(false);
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

  it('the JSON report and the summary give each phase its attempts, a failed phase its checks and last diagnostics, and the run its rates', () => {
    const phase = (number: number) => report.phases.find((entry) => entry.number === number)!;
    expect([1, 2, 3, 4, 5].map((number) => [number, phase(number).status, phase(number).attempts])).toEqual([
      [1, 'ran', 1],
      [2, 'ran', 2],
      [3, 'failed', 3],
      [4, 'failed', 1],
      [5, 'failed', 1],
    ]);
    expect(phase(3).checks!.map((check) => check.passed)).toEqual([false, false, false]);
    expect(phase(3).lastDiagnostics).toEqual(["src/never.ts:1:14 error TS2322: Type 'string' is not assignable to type 'number'."]);
    expect(phase(5).lastDiagnostics).toEqual([]);
    expect(report.checks).toEqual({ checked: 5, firstPass: 1, repaired: 1, failed: 3, attempts: 8, firstPassRate: 0.2, retryRate: 0.8 });
    expect(first.output).toContain(
      'checks: 5 phases ran with a check: 1 passed first time (20 %), 1 repaired, 3 failed their check, 8 attempts: retry rate 80 %\n' +
        '  needed a repair: Fixed (2 attempts), Never (3 attempts, still failing), Missing (1 attempt, still failing), Hang (1 attempt, still failing)',
    );
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
        const expected = ['generate 1', 'check 1', 'repair 2', 'check 2', ...(number === 3 ? ['repair 3', 'check 3'] : [])];
        expect(drawn.segments.map((segment) => `${segment.kind} ${segment.attempt}`)).toEqual(expected);
        expect(entry.segments!.map((segment) => `${segment.kind} ${segment.attempt}`)).toEqual(expected);
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
      expect(await page.locator('svg.gantt g.bar-group[data-phase="3"] > title').textContent()).toContain('3 attempts (2 repairs); last check: src/never.ts:1:14 error TS2322');
    } finally {
      await browser.close();
    }
  });
});
