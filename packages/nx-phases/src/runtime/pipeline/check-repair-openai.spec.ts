import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import phaseExecutor from '../../executors/phase/executor';
import { context } from '../../executors/phase/test-utils/phase-fixture';
import { startOpenAITestServer, type OpenAITestServer } from '../../test-utils/openai-test-server';
import { TempWorkspace } from '../../test-utils/temp-workspace';
import { PRICE_TABLE_DATE } from '../../cost';
import { readPhaseRuns } from '../run-records';
import { workspaceDataPath } from '../workspace-data';

const KEY_ENV = 'NX_PHASES_CHECK_REPAIR_TEST_KEY';
const REPAIR_TEXT = 'failed on the files you wrote';

// The first test loads the openai client and runs two real check processes: slow on a loaded machine.
jest.setTimeout(60_000);

describe('the check step repairs with nx-phases:openai (loopback server, real executor)', () => {
  let ws: TempWorkspace;
  let server: OpenAITestServer | undefined;
  let errors: string[];
  const run = () => phaseExecutor({ plan: 'apps/app/phases.json', phase: 1 }, context(ws.root));
  /** The requests the workspace's rate limiter saw start (its one endpoint's state.json, starts inside the window). */
  const limiterStarts = (): unknown[] => {
    const dir = workspaceDataPath(ws.root, 'rate-limit');
    const endpoints = readdirSync(dir);
    expect(endpoints).toHaveLength(1);
    return JSON.parse(readFileSync(join(dir, endpoints[0], 'state.json'), 'utf8')).starts;
  };
  const planFor = (url: string, maxRepairs: number) => ({
    name: 'app',
    generator: {
      use: 'nx-phases:openai',
      options: { model: 'test-model', baseURL: url, apiKeyEnv: KEY_ENV, maxRetries: 0, prices: { 'test-model': { inputPerToken: 2e-6, outputPerToken: 8e-6 } } },
    },
    check: { command: 'grep -q fixed src/a.ts || { echo "src/a.ts(1,14): error TS2322: Type string is not assignable to type number."; exit 1; }', maxRepairs },
    phases: [{ number: 1, name: 'Setup', plannedFiles: ['src/a.ts'] }],
  });

  beforeEach(() => {
    ws = new TempWorkspace();
    process.env[KEY_ENV] = 'sk-test';
    errors = [];
    jest.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')));
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    delete process.env[KEY_ENV];
    await server?.close();
    ws.dispose();
  });

  it('sends a follow-up turn with the diagnostics and the failing file, then commits the fixed result', async () => {
    server = await startOpenAITestServer({
      steps: [
        { kind: 'ok', files: [{ path: 'src/a.ts', content: 'export const n: number = "broken";\n' }] },
        { kind: 'ok', match: REPAIR_TEXT, files: [{ path: 'src/a.ts', content: 'export const n: number = 1; // fixed\n' }] },
      ],
      fallback: { kind: 'status', status: 500, message: 'unexpected request' },
    });
    ws.write('apps/app/phases.json', planFor(server.url, 2));
    await expect(run()).resolves.toEqual({ success: true });
    expect(ws.read('apps/app/src/a.ts')).toBe('export const n: number = 1; // fixed\n');
    expect(server.requests).toHaveLength(2);
    const messages = (server.requests[1].body as { messages: Array<{ role: string; content: string }> }).messages;
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(JSON.parse(messages[2].content).files).toEqual([{ path: 'src/a.ts', content: 'export const n: number = "broken";\n' }]);
    expect(messages[3].content).toContain('src/a.ts:1:14 error TS2322');
    const manifest = JSON.parse(ws.read('apps/app/.phases/1/manifest.json'));
    expect(manifest.usage.calls).toBe(2);
    // Both calls are paid: the manifest's cost is the sum of usage x the plan's price for the model, with the table's date.
    const paid = server.requests.reduce((sum, request) => {
      const usage = request.usage!;
      return sum + usage.prompt_tokens * 2e-6 + usage.completion_tokens * 8e-6;
    }, 0);
    expect(manifest.cost).toEqual({ usd: expect.any(Number), models: ['test-model'], priceTableDate: PRICE_TABLE_DATE });
    expect(manifest.cost.usd).toBeCloseTo(paid, 12);
    // The usage counts cover the repair call: the tokens are both replies' usage, as the server reported it.
    expect(manifest.usage.promptTokens).toBe(server.requests.reduce((sum, request) => sum + request.usage!.prompt_tokens, 0));
    expect(manifest.usage.completionTokens).toBe(server.requests.reduce((sum, request) => sum + request.usage!.completion_tokens, 0));
    expect(manifest.checks.map((c: { passed: boolean }) => c.passed)).toEqual([false, true]);
    // So does the rate limiter: the shared window holds both starts (a repair that bypassed the limiter would add none).
    expect(limiterStarts()).toHaveLength(2);
  });

  it('keeps a file the repair reply leaves out: a repair edits the previous attempt', async () => {
    server = await startOpenAITestServer({
      steps: [
        { kind: 'ok', files: [{ path: 'src/a.ts', content: 'broken\n' }, { path: 'src/b.ts', content: 'from attempt 1\n' }] },
        { kind: 'ok', match: 'a planned file you leave out keeps the content above', files: [{ path: 'src/a.ts', content: 'fixed\n' }] },
      ],
      fallback: { kind: 'status', status: 500, message: 'unexpected request' },
    });
    const plan = planFor(server.url, 1);
    ws.write('apps/app/phases.json', { ...plan, phases: [{ ...plan.phases[0], plannedFiles: ['src/a.ts', 'src/b.ts'] }] });
    await expect(run()).resolves.toEqual({ success: true });
    expect(ws.read('apps/app/src/a.ts')).toBe('fixed\n');
    expect(ws.read('apps/app/src/b.ts')).toBe('from attempt 1\n');
    expect(server.requests).toHaveLength(2);
  });

  it('fails after maxRepairs with the last diagnostics and commits nothing', async () => {
    server = await startOpenAITestServer({ fallback: { kind: 'ok', files: [{ path: 'src/a.ts', content: 'export const n: number = "broken";\n' }] } });
    ws.write('apps/app/phases.json', planFor(server.url, 1));
    process.env.NX_PHASES_RUN_ID = 'cost-spec-run';
    try {
      await expect(run()).resolves.toEqual({ success: false });
    } finally {
      delete process.env.NX_PHASES_RUN_ID;
    }
    expect(server.requests).toHaveLength(2);
    // Nothing committed, but both calls were paid: the run record keeps their cost for the summary.
    const record = readPhaseRuns(ws.root, 'cost-spec-run', 'apps/app/phases.json').get(1);
    const paid = server.requests.reduce((sum, r) => sum + r.usage!.prompt_tokens * 2e-6 + r.usage!.completion_tokens * 8e-6, 0);
    expect(record?.cost?.usd).toBeCloseTo(paid, 12);
    expect(existsSync(join(ws.root, 'apps/app/src/a.ts'))).toBe(false);
    expect(existsSync(join(ws.root, 'apps/app/.phases/1/manifest.json'))).toBe(false);
    expect(errors.join('\n')).toContain('Phase 1 "Setup": the check `grep -q fixed src/a.ts');
    expect(errors.join('\n')).toContain('src/a.ts:1:14 error TS2322');
  });
});
