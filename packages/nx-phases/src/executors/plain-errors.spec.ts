import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { TempWorkspace } from '../test-utils/temp-workspace';

const TSCONFIG = resolve(__dirname, '../../tsconfig.spec.json');
const ESC = '\u001b';

/**
 * Runs executors' default exports in a fresh child process with stdout and stderr piped and CI=true (no NO_COLOR,
 * no FORCE_COLOR): the setting under which @nx/devkit's logger colours errors even into a pipe. Returns stderr.
 */
function runPiped(workspaceRoot: string, calls: Array<{ executor: string; options: Record<string, unknown> }>): string {
  const script = `
    (async () => {
      for (const call of ${JSON.stringify(calls)}) {
        const run = require(call.executor).default;
        const result = await run(call.options, { root: ${JSON.stringify(workspaceRoot)}, cwd: ${JSON.stringify(workspaceRoot)}, isVerbose: false, projectName: 'shop' });
        if (result.success) throw new Error(call.executor + ' succeeded');
      }
    })().catch((error) => { process.stdout.write('RUNNER FAILED ' + error.stack); process.exit(3); });`;
  const env: NodeJS.ProcessEnv = { ...process.env, TS_NODE_PROJECT: TSCONFIG, CI: 'true', TERM: 'xterm-256color' };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { env, encoding: 'utf8', timeout: 110_000 });
  if (child.status !== 0) throw new Error(`runner exited ${child.status}: ${child.stdout}\n${child.stderr}`);
  return child.stderr;
}

describe("executors' user errors under CI, piped", () => {
  jest.setTimeout(120_000);
  let ws: TempWorkspace;

  beforeEach(() => (ws = new TempWorkspace()));
  afterEach(() => ws.dispose());

  it('carry no colour codes (phase-plan, phase, plan-error)', () => {
    ws.write('apps/shop/phases.json', { name: 'shop', phases: [{ number: 1, name: 'Setup', plannedFiles: ['src/app.ts'] }] });
    const stderr = runPiped(ws.root, [
      { executor: join(__dirname, 'phase-plan', 'executor.ts'), options: { plan: 'apps/shop/missing.json' } },
      { executor: join(__dirname, 'phase-plan', 'executor.ts'), options: { plan: 'apps/shop/phases.json', estimate: true, format: 'html' } },
      { executor: join(__dirname, 'phase', 'executor.ts'), options: { plan: 'apps/shop/missing.json', phase: 1 } },
      { executor: join(__dirname, 'plan-error', 'executor.ts'), options: { plan: 'apps/shop/phases.json', message: 'phases[0]: broken' } },
    ]);
    expect(stderr).toContain('apps/shop/missing.json');
    expect(stderr).toContain('--estimate prints text or writes JSON; --format=html draws the plan. Fix:');
    expect(stderr).toContain('phase 1 of apps/shop/missing.json failed and committed nothing');
    expect(stderr).toContain('phases[0]: broken');
    expect(stderr.split('\n').filter((line) => line.includes(ESC))).toEqual([]);
  });
});
