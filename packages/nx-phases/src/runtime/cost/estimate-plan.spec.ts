import type { ExecutorContext } from '@nx/devkit';
import phaseExecutor from '../../executors/phase/executor';
import { context } from '../../executors/phase/test-utils/phase-fixture';
import phasePlanExecutor from '../../executors/phase-plan/executor';
import { countTokens, PRICE_TABLE_DATE, type PlanEstimate } from '../../cost';
import { PHASE_REPLY_SCHEMA } from '../../generators/openai/response';
import { dependencySpecHashes, phaseFingerprint } from '../../plugin/fingerprint';
import { startOpenAITestServer, type OpenAITestServer } from '../../test-utils/openai-test-server';
import { TempWorkspace } from '../../test-utils/temp-workspace';
import { loadPlan } from '../load-plan';
import { estimatePlan } from './estimate-plan';
import { renderEstimateText } from '../../report/render-estimate';

const KEY_ENV = 'NX_PHASES_ESTIMATE_TEST_KEY';
const PRICE = { inputPerToken: 1e-6, outputPerToken: 4e-6 };

// Real executors and a loopback server: Jest's 5 s default failed StrykerJS's dry run on a loaded machine (load 7).
jest.setTimeout(60_000);

describe('the cost estimate (real records, loopback OpenAI server, real executors)', () => {
  let ws: TempWorkspace;
  let server: OpenAITestServer;
  let printed: string[];

  const planFor = (url: string, extra: Record<string, unknown> = {}) => ({
    name: 'app',
    context: ['docs/brief.md'],
    generator: { use: 'nx-phases:openai', options: { model: 'gpt-4.1-mini', baseURL: url, apiKeyEnv: KEY_ENV, maxRetries: 0, maxOutputTokens: 2000, prices: { 'gpt-4.1-mini': PRICE } } },
    phases: [
      { number: 1, name: 'Setup', domain: 'setup', plannedFiles: ['src/a.ts', 'src/b.ts'] },
      { number: 2, name: 'Feature', domain: 'feature', dependencies: [1], plannedFiles: ['src/c.ts'] },
      { number: 3, name: 'Docs', domain: 'polish', dependencies: [2], plannedFiles: ['README.md'], generator: 'nx-phases:scaffold' },
    ],
    ...extra,
  });
  const estimate = (): PlanEstimate => estimatePlan({ workspaceRoot: ws.root, loaded: loadPlan(ws.root, 'apps/app/phases.json') });
  const runPhase = (phase: number) => {
    const loaded = loadPlan(ws.root, 'apps/app/phases.json');
    const fingerprint = phaseFingerprint(loaded, loaded.plan.phases.find((p) => p.number === phase)!, dependencySpecHashes(loaded.plan), ws.root);
    return phaseExecutor({ plan: 'apps/app/phases.json', phase, fingerprint }, context(ws.root));
  };

  beforeEach(async () => {
    ws = new TempWorkspace();
    ws.write('apps/app/docs/brief.md', 'A shop that sells shoes.\n');
    server = await startOpenAITestServer({});
    ws.write('apps/app/phases.json', planFor(server.url));
    process.env[KEY_ENV] = 'sk-test';
    printed = [];
    jest.spyOn(console, 'log').mockImplementation((message) => void printed.push(String(message)));
    jest.spyOn(console, 'error').mockImplementation((message) => void printed.push(String(message)));
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    delete process.env[KEY_ENV];
    await server.close();
    ws.dispose();
  });

  it('counts each prompt exactly as the server then bills it, and shows a phase whose result would be reused at $0', async () => {
    const before = estimate();
    expect(before.priceTableDate).toBe(PRICE_TABLE_DATE);
    expect(before.cachedPhases).toEqual([]);
    expect(before.phases[0]).toMatchObject({ cached: false, pendingDependencies: 0, outputBasis: 'per planned file', expectedOutputTokens: 1000, outputAllowanceTokens: 2000 });
    expect(before.phases[1]).toMatchObject({ pendingDependencies: 1 });
    expect(before.phases[2]).toMatchObject({ generator: 'nx-phases:scaffold', expectedUsd: 0, worstCaseUsd: 0 });
    expect(server.requests).toHaveLength(0);

    await expect(runPhase(1)).resolves.toEqual({ success: true });
    expect(server.requests[0].usage!.prompt_tokens).toBe(before.phases[0].promptTokens);

    const after = estimate();
    expect(after.cachedPhases).toEqual([1]);
    expect(after.phases[0]).toMatchObject({ cached: true, expectedUsd: 0, worstCaseUsd: 0 });
    // Critical path time: the cached phase takes 0, the others the measured median (phase 1's duration, the only one).
    const measured = JSON.parse(ws.read('apps/app/.phases/1/manifest.json')).durationMs as number;
    expect(after.criticalPath).toEqual({ phases: [1, 2, 3], expectedMs: 2 * measured });
    // The text says which durations it used (a run's summary uses that run's measured ones and can name another chain).
    expect(renderEstimateText(after)).toContain('Critical path, expected time (by the durations earlier runs recorded; cached phases at 0): ');
    // Phase 2's prompt now holds phase 1's recorded files: counted on exactly the prompt it will send.
    expect(after.phases[1]).toMatchObject({ cached: false, pendingDependencies: 0 });
    await expect(runPhase(2)).resolves.toEqual({ success: true });
    const billed = server.requests[1].usage!;
    expect(billed.prompt_tokens).toBe(after.phases[1].promptTokens);
    expect(after.phases[1].expectedUsd).toBeCloseTo(billed.prompt_tokens * 1e-6 + 500 * 4e-6, 12);
    // The whole context, plus the reply schema the call sends with it.
    const schema = countTokens(JSON.stringify(PHASE_REPLY_SCHEMA), 'gpt-4.1-mini').tokens;
    expect(after.phases[1].worstCaseUsd).toBeCloseTo((12_000 + schema) * 1e-6 + 2000 * 4e-6, 12);

    const done = estimate();
    expect(done.cachedPhases).toEqual([1, 2]);
    expect(done.expectedUsd).toBe(0);
  });

  it('uses the previous run\'s output for a phase that ran before, and counts the repairs in the worst case', async () => {
    await runPhase(1);
    const completion = server.requests[0].usage!.completion_tokens;
    const plan = planFor(server.url, { check: { command: 'true', maxRepairs: 2 } });
    plan.phases[0].name = 'Setup edited';
    ws.write('apps/app/phases.json', plan);
    const { phases } = estimate();
    expect(phases[0]).toMatchObject({ cached: false, outputBasis: 'previous run', expectedOutputTokens: completion, maxCalls: 3 });
    const prompt = Math.max(phases[0].promptTokens!, 12_000) + countTokens(JSON.stringify(PHASE_REPLY_SCHEMA), 'gpt-4.1-mini').tokens;
    expect(phases[0].worstCaseUsd).toBeCloseTo(prompt * 1e-6 + 2000 * 4e-6 + 2 * ((prompt + 2000) * 1e-6 + 2000 * 4e-6), 12);
  });

  it('says which costs are unknown instead of counting them as 0', async () => {
    const plan = planFor(server.url);
    plan.generator.options.model = 'my-local-model';
    ws.write('apps/app/phases.json', plan);
    const result = estimate();
    expect(result.expectedUsd).toBeNull();
    expect(result.unknown.map((u) => u.number)).toEqual([1, 2]);
    expect(result.unknown[0].reason).toContain('no price for model "my-local-model"');
    expect(result.phases[0].promptExact).toBe(false);
  });

  it("prices a model from nx.json's plugin option when the plan gives none, the plan's price winning over it", async () => {
    const plan = planFor(server.url);
    plan.generator.options.model = 'my-local-model';
    delete (plan.generator.options as { prices?: unknown }).prices;
    ws.write('apps/app/phases.json', plan);
    const nxPrice = { inputPerToken: 2e-6, outputPerToken: 0 };
    ws.write('nx.json', { plugins: [{ plugin: 'nx-phases', options: { prices: { 'my-local-model': nxPrice } } }] });
    const fromNxJson = estimate();
    expect(fromNxJson.unknown).toEqual([]);
    expect(fromNxJson.phases[0].expectedUsd).toBeCloseTo(fromNxJson.phases[0].promptTokens! * 2e-6, 12);
    (plan.generator.options as { prices?: unknown }).prices = { 'my-local-model': { inputPerToken: 3e-6, outputPerToken: 0 } };
    ws.write('apps/app/phases.json', plan);
    const fromPlan = estimate();
    expect(fromPlan.phases[0].expectedUsd).toBeCloseTo(fromPlan.phases[0].promptTokens! * 3e-6, 12);
  });

  it('a budget of exactly the worst case lets the phase run: the worst case counts the reply schema the call sends, as the budget reserves it', async () => {
    const plan = planFor(server.url);
    // A context smaller than the prompt's fixed parts: the worst case is this very prompt, so the schema decides.
    (plan.generator.options as { maxContextTokens?: number }).maxContextTokens = 256;
    ws.write('apps/app/phases.json', plan);
    const phase = estimate().phases[0];
    expect(phase.promptTokens).toBeGreaterThan(256);
    expect(phase.schemaTokens).toBe(countTokens(JSON.stringify(PHASE_REPLY_SCHEMA), 'gpt-4.1-mini').tokens);
    expect(phase.worstCaseUsd).toBe((phase.promptTokens! + phase.schemaTokens!) * PRICE.inputPerToken + 2000 * PRICE.outputPerToken);
    expect(server.requests).toHaveLength(0);
    ws.write('apps/app/phases.json', { ...plan, maxCostUsd: phase.worstCaseUsd });
    await expect(runPhase(1)).resolves.toEqual({ success: true });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].body).toMatchObject({ response_format: { type: 'json_schema', json_schema: { schema: PHASE_REPLY_SCHEMA } } });
    expect(printed.join('\n')).not.toContain('Budget exceeded');
  });

  it('prints the table and writes phase-estimate.json with --estimate --format=json, sending nothing', async () => {
    // gpt-4.1-mini's list price: its products and sums are not exact in binary (0.0008975999999999999 before rounding).
    const plan = planFor(server.url);
    (plan.generator.options as { prices?: unknown }).prices = { 'gpt-4.1-mini': { inputPerToken: 4e-7, outputPerToken: 1.6e-6 } };
    ws.write('apps/app/phases.json', plan);
    const ctx = { root: ws.root, cwd: ws.root, isVerbose: false } as ExecutorContext;
    await expect(phasePlanExecutor({ plan: 'apps/app/phases.json', estimate: true, format: 'json' }, ctx)).resolves.toEqual({ success: true });
    const text = printed.join('\n');
    expect(text).toContain(`Cost estimate of app (apps/app/phases.json), prices of ${PRICE_TABLE_DATE}; nothing was sent`);
    expect(text).toMatch(/\n1 {2}Setup +runs +gpt-4\.1-mini +\d+ +1,000 \/ 2,000 +\$0\.\d{4} +\$0\.\d{4}\n/);
    expect(text).toContain('Already cached (cost $0): none');
    expect(text).toContain(`Worst case counts the reply schema every call sends (response_format): ${countTokens(JSON.stringify(PHASE_REPLY_SCHEMA), 'gpt-4.1-mini').tokens} tokens a call`);
    expect(text).toContain('Critical path, expected time: unknown until a run records durations');
    const file = ws.read('apps/app/phase-estimate.json');
    const json = JSON.parse(file) as PlanEstimate;
    expect(json.phases.map((p) => p.number)).toEqual([1, 2, 3]);
    // Money has at most 6 decimals (no 0.0008975999999999999), token counts are integers.
    expect(file.match(/"\w*(usd|Usd)": -?\d+\.\d{7,}/g)).toBeNull();
    expect(json.knownWorstCaseUsd).toBe(Number(json.knownWorstCaseUsd.toFixed(6)));
    const tokens = json.phases.flatMap((p) => [p.promptTokens, p.expectedOutputTokens, p.outputAllowanceTokens]).filter((n) => n !== undefined);
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.every(Number.isInteger)).toBe(true);
    expect(json.priceTableDate).toBe(PRICE_TABLE_DATE);
    expect(server.requests).toHaveLength(0);
    await expect(phasePlanExecutor({ plan: 'apps/app/phases.json', estimate: true, format: 'html' }, ctx)).resolves.toEqual({ success: false });
    expect(printed.join('\n')).toContain('Fix: use --format=json (or no --format) with --estimate.');
  });
});
