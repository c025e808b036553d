import { rmSync } from 'node:fs';
import { workspaceDataPath } from '../../runtime/workspace-data';
import { TempWorkspace } from '../../test-utils/temp-workspace';
import { startOpenAITestServer, type OpenAITestServer } from '../../test-utils/openai-test-server';
import { parsePlanText, rememberResolvedPlan } from '../../runtime/load-plan';
import { readResolvedPlan, storeResolvedPlan } from '../../runtime/resolved-plan-store';
import { context } from './test-utils/phase-fixture';
import phaseExecutor from './executor';

const PLAN_FILE = 'apps/shop/phases.json';
const KEY_ENV = 'NX_PHASES_TEST_OPTIONS_KEY';

describe('nx-phases:phase executor checks generator options before anything is sent', () => {
  let ws: TempWorkspace;
  let server: OpenAITestServer;
  let errors: string[];

  beforeEach(async () => {
    ws = new TempWorkspace();
    server = await startOpenAITestServer({ steps: [{ kind: 'ok', files: 'planned' }] });
    process.env[KEY_ENV] = 'test-key';
    errors = [];
    jest.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')));
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    delete process.env[KEY_ENV];
    await server.close();
    ws.dispose();
  });

  /** Writes a valid openai plan and stores its resolved form, then lets `tamper` edit the stored options. */
  function writePlan(tamper: (options: Record<string, unknown>) => void): void {
    const text = JSON.stringify({
      name: 'shop',
      phases: [
        {
          number: 1,
          name: 'Setup',
          plannedFiles: ['src/a.ts'],
          generator: { use: 'nx-phases:openai', options: { model: 'test-model', baseURL: server.url, apiKeyEnv: KEY_ENV, maxRetries: 0 } },
        },
      ],
    });
    ws.write(PLAN_FILE, text);
    rememberResolvedPlan(ws.root, text, parsePlanText(text, PLAN_FILE));
    const stored = readResolvedPlan(ws.root, PLAN_FILE, text)!;
    tamper(stored.plan.phases[0].generator!.options);
    // storeResolvedPlan keeps an existing entry, so the tampered copy replaces it by removing it first.
    rmSync(workspaceDataPath(ws.root, 'resolved-plans'), { recursive: true });
    storeResolvedPlan(ws.root, PLAN_FILE, text, stored);
  }

  it('fails a phase whose stored plan carries a misspelt option, with no request sent and nothing written', async () => {
    writePlan((options) => {
      options.modle = options.model;
      delete options.model;
    });
    await expect(phaseExecutor({ plan: PLAN_FILE, phase: 1 }, context(ws.root))).resolves.toEqual({ success: false });
    expect(errors.join('\n')).toBe(
      [
        'Invalid phase plan: 1 problem found.',
        `${PLAN_FILE}: phases[0].generator.options.modle: Unknown option "modle" for nx-phases:openai. Fix: Did you mean "model"? ` +
          'Allowed options: model, baseURL, apiKeyEnv, temperature, maxContextTokens, maxOutputTokens, timeoutMs, maxRetries, maxRetryAfterMs, systemPrompt, prices.',
      ].join('\n'),
    );
    expect(server.requests).toEqual([]);
    expect(ws.exists('apps/shop/src/a.ts')).toBe(false);
    expect(ws.exists('apps/shop/.phases')).toBe(false);
  });

  it('sends the request when the stored options are intact', async () => {
    writePlan(() => undefined);
    await expect(phaseExecutor({ plan: PLAN_FILE, phase: 1 }, context(ws.root))).resolves.toEqual({ success: true });
    expect(server.requests).toHaveLength(1);
  });
});
