import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { appStateWithoutTimings } from './utils/app-state';
import type { NxRun } from './utils/e2e-workspace';
import { runPhasesAsync } from './utils/nx-async';
import { okStepFor } from './utils/openai-plan';
import { openaiGenerator, phaseHeading, readRequestLog, startScenarioServer, type OpenAITestServer, type RequestLogEntry } from './utils/openai-server';
import { writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { withOutput } from './utils/with-output';
import type { ScriptStep } from '../../nx-phases/src/test-utils/openai-test-server';

/**
 * Issue 19 "the same outcome in any schedule": one plan with a check, the loopback OpenAI server scripted per phase
 * (two phases need repairs, one of them two) with random latencies, run at --parallel=1 and then at --parallel=4
 * from scratch. Check outcomes, repairs (every request, byte for byte) and records must be the same; only timing
 * fields may differ.
 */
describe('check outcomes and repairs do not depend on the schedule (nx run-many, scripted LLM)', () => {
  const scenario = createScenario('check-schedule');
  const { workspace } = scenario;
  const appDir = 'apps/sched-check';
  const app = (...parts: string[]) => workspace.path(appDir, ...parts);
  const CHECK = `! grep -n BROKEN src/*.ts | awk -F: '{ print $1 "(" $2 ",1): error TS2322: " $3 }' | grep .`;
  const env = { OPENAI_API_KEY: 'e2e-not-a-secret' };
  const phases = [
    // Phase 1 plans the tsconfig, so the plan's project gets its verify target (tsc over the merged app).
    { number: 1, name: 'Setup', domain: 'setup', plannedFiles: ['tsconfig.json', 'src/app.ts'] },
    { number: 2, name: 'Once', dependencies: [1], plannedFiles: ['src/once.ts'] },
    { number: 3, name: 'Plain', dependencies: [1], plannedFiles: ['src/plain.ts'] },
    { number: 4, name: 'Twice', dependencies: [2, 3], plannedFiles: ['src/twice.ts'] },
    { number: 5, name: 'Side', dependencies: [1], plannedFiles: ['src/side.ts'] },
    { number: 6, name: 'Last', dependencies: [4, 5], plannedFiles: ['src/last.ts'] },
  ];
  const file = (path: string, text: string) => ({ path, content: `export const value = ${JSON.stringify(text)}; // ${text}\n` });
  const repairOf = (number: number, name: string) => `Phase ${number} "${name}": the check`;
  /** One run's replies: phases 2 (one repair) and 4 (two repairs) answer BROKEN code first. */
  const TSCONFIG = JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'esnext', moduleResolution: 'bundler', lib: ['es2022'], types: [] }, include: ['src/**/*.ts'] }, null, 2) + '\n';
  const oneRun: ScriptStep[] = [
    { kind: 'ok', match: phaseHeading(1, 'Setup'), files: [{ path: 'tsconfig.json', content: TSCONFIG }, file('src/app.ts', 'app')] },
    { kind: 'ok', match: phaseHeading(2, 'Once'), files: [file('src/once.ts', 'BROKEN once')] },
    { kind: 'ok', match: repairOf(2, 'Once'), files: [file('src/once.ts', 'once, fixed')] },
    okStepFor(phases[2]),
    { kind: 'ok', match: phaseHeading(4, 'Twice'), files: [file('src/twice.ts', 'BROKEN twice')] },
    { kind: 'ok', match: repairOf(4, 'Twice'), files: [file('src/twice.ts', 'BROKEN still')] },
    { kind: 'ok', match: repairOf(4, 'Twice'), files: [file('src/twice.ts', 'twice, fixed')] },
    okStepFor(phases[4]),
    okStepFor(phases[5]),
  ];
  let server: OpenAITestServer | undefined;
  let logFile: string;
  let plan: PlanDocument;
  const runs: Record<'sequential' | 'parallel', { run: NxRun; state: Record<string, string>; requests: Map<number, string[]>; report: string; checks: unknown }> = {} as never;

  /** Each phase's request bodies (messages and files as sent), in arrival order: the same in every schedule. */
  const requestsByPhase = (entries: RequestLogEntry[]): Map<number, string[]> => {
    const byPhase = new Map<number, string[]>();
    for (const entry of [...entries].sort((a, b) => a.id - b.id)) {
      const messages = (entry.body as { messages: Array<{ role: string; content: string }> }).messages;
      const number = Number(/^# Phase (\d+):/m.exec(messages.find((m) => m.role === 'user')!.content)![1]);
      byPhase.set(number, [...(byPhase.get(number) ?? []), JSON.stringify(messages)]);
    }
    return byPhase;
  };
  const lastRun = () => JSON.parse(readFileSync(workspace.path('.nx/nx-phases/last-run.json'), 'utf8')).plans[0];
  /** Each phase's status, attempts and check outcomes in last-run.json. */
  const reportOutcomes = () =>
    JSON.stringify(
      lastRun().phases.map(
        (p: { number: number; status: string; attempts?: number; checks?: Array<{ passed: boolean; diagnostics: number }> }) => [p.number, p.status, p.attempts, p.checks?.map((c) => [c.passed, c.diagnostics])],
      ),
    );

  const runFromScratch = async (parallel: number) => {
    for (const name of readdirSync(app()).filter((entry) => entry !== 'phases.json')) rmSync(app(name), { recursive: true, force: true });
    const before = existsSync(logFile) ? readRequestLog(logFile).length : 0;
    const run = await runPhasesAsync(workspace, [`--parallel=${parallel}`, '--skip-nx-cache'], { env });
    return { run, state: appStateWithoutTimings(app()), requests: requestsByPhase(readRequestLog(logFile).slice(before)), report: reportOutcomes(), checks: lastRun().checks };
  };

  beforeAll(async () => {
    ({ server, logFile } = await startScenarioServer(scenario.state, 'check-schedule', {
      steps: [...oneRun, ...oneRun],
      latencyMs: { min: 5, max: 250 },
      fallback: { kind: 'status', status: 500, message: 'unscripted request' },
    }));
    plan = { name: 'sched-check', generator: openaiGenerator(server.url, { maxRetries: 0 }), check: { command: CHECK, maxRepairs: 2 }, phases } as PlanDocument;
    writePlan(workspace.root, appDir, plan);
    workspace.commitAll('sched-check plan');
    runs.sequential = await runFromScratch(1);
    runs.parallel = await runFromScratch(4);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('repairs the same phases the same number of times at --parallel=1, with the fixed code committed', () => {
    withOutput(runs.sequential.run, () => {
      expect([...runs.sequential.requests].sort(([a], [b]) => a - b).map(([number, bodies]) => [number, bodies.length])).toEqual([[1, 1], [2, 2], [3, 1], [4, 3], [5, 1], [6, 1]]);
      const manifest = JSON.parse(runs.sequential.state['.phases/4/manifest.json']);
      expect(manifest.checks.map((check: { passed: boolean }) => check.passed)).toEqual([false, false, true]);
      expect(runs.sequential.state['src/twice.ts']).toContain('twice, fixed');
    });
  });

  it('gives --parallel=4 the same check outcomes, the same repair requests byte for byte, and byte-identical records', () => {
    withOutput(runs.parallel.run, () => {
      expect(runs.parallel.report).toBe(runs.sequential.report);
      expect(runs.parallel.requests).toEqual(runs.sequential.requests);
      expect(runs.parallel.state).toEqual(runs.sequential.state);
    });
  });

  it("verify reports the same for the merged app: the run report's rates and the phases that needed a repair", () => {
    // The phases ran with --skip-nx-cache: verify alone (its dependencies are the committed phases on disk).
    const verify = workspace.nx(['run', 'sched-check:verify', '--exclude-task-dependencies', '--skip-nx-cache', '--outputStyle=static']);
    withOutput(verify, () => {
      expect(runs.parallel.checks).toEqual({ checked: 6, firstPass: 4, repaired: 2, failed: 0, attempts: 9, firstPassRate: 0.67, retryRate: 0.33 });
      expect(verify.output).toContain('> tsc --noEmit -p apps/sched-check/tsconfig.json');
      expect(verify.output).toContain(
        'nx-phases: verify: sched-check: 6 phases committed with a check: 4 passed first time (67 %), 2 repaired, 9 attempts: retry rate 33 %\n' +
          'nx-phases: verify: sched-check: needed a repair: Once (2 attempts), Twice (3 attempts)',
      );
      expect(runs.parallel.run.output).toContain('checks: 6 phases ran with a check: 4 passed first time (67 %), 2 repaired, 9 attempts: retry rate 33 %\n  needed a repair: Once (2 attempts), Twice (3 attempts)');
    });
  });
});
