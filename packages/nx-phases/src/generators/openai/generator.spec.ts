import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallCost } from '../../cost';
import type { Phase } from '../../plan/types';
import { FsTree, flushChanges } from '../../runtime/nx-tree';
import type { GeneratorUsage, PhaseGeneratorOptions, PhaseRuntime } from '../../runtime/phase-generator';
import { OpenAITestServer, startOpenAITestServer, TestServerScript } from '../../test-utils/openai-test-server';
import openaiGenerator, { openaiCacheKeyFields, PROMPT_TEMPLATE_VERSION } from './generator';
import type { OpenAIGeneratorOptions } from './schema';
import { costOfUsage, priceFor, type ModelPrice } from '../../cost';

const KEY_ENV = 'NX_PHASES_TEST_OPENAI_KEY';
const KEY = 'sk-planted-4f9c1e77d2b84a0fa6c35e9b1d0c2e8f';

const phase: Phase = {
  number: 3,
  name: 'Auth',
  domain: 'auth',
  description: 'Sign in and sessions.',
  features: ['login', 'logout'],
  dependencies: [1],
  plannedFiles: ['src/auth/login.ts', 'src/lib/db.ts'],
  predictedFiles: false,
};

// Real HTTP round trips and Retry-After waits: generous limits, only lower-bound timing assertions.
jest.setTimeout(30_000);

/**
 * A request timeout for the timed-out-call tests: the answer after the timed-out one must arrive within it, so it is
 * generous (300 ms failed at load 13: a third request); the hung answer never comes before the client gives up.
 */
const TIMEOUT_MS = 5_000;
const NEVER_MS = 600_000;

describe('nx-phases:openai generator against a real HTTP server', () => {
  let workspace: string;
  let snapshot: string;
  let server: OpenAITestServer | undefined;
  let titles: string[];
  let usage: GeneratorUsage;
  let costs: CallCost[];
  const savedDataDir = process.env.NX_WORKSPACE_DATA_DIRECTORY;

  beforeEach(() => {
    workspace = mkdtempSync(join(tmpdir(), 'nx-phases-openai-'));
    snapshot = join(workspace, 'snapshot');
    mkdirSync(join(snapshot, 'src/lib'), { recursive: true });
    writeFileSync(join(snapshot, 'src/lib/db.ts'), 'export const db = {};\n');
    writeFileSync(join(snapshot, 'package.json'), '{ "name": "shop" }\n');
    titles = [];
    costs = [];
    usage = { calls: 0, retries: 0, promptTokens: 0, completionTokens: 0, waitMs: 0 };
    process.env[KEY_ENV] = KEY;
    delete process.env.NX_WORKSPACE_DATA_DIRECTORY;
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
    delete process.env[KEY_ENV];
    if (savedDataDir !== undefined) process.env.NX_WORKSPACE_DATA_DIRECTORY = savedDataDir;
    rmSync(workspace, { recursive: true, force: true });
  });

  const runtime = (): PhaseRuntime => ({
    workspaceRoot: workspace,
    snapshotRoot: snapshot,
    rateLimit: { maxConcurrentRequests: 2, minDelayBetweenMs: 0, requestsPerMinute: 0 },
    progress: (title) => titles.push(title),
    recordUsage: (delta) => {
      for (const key of Object.keys(usage) as Array<keyof GeneratorUsage>) usage[key] += delta[key] ?? 0;
    },
    recordCost: (call) => costs.push(call),
    signal: new AbortController().signal,
  });

  function limiterState() {
    const stateDirs = join(workspace, '.nx/workspace-data/nx-phases/rate-limit');
    const [dir] = readdirSync(stateDirs);
    return JSON.parse(readFileSync(join(stateDirs, dir, 'state.json'), 'utf8'));
  }

  async function run(script: TestServerScript, overrides: Partial<OpenAIGeneratorOptions & PhaseGeneratorOptions> = {}) {
    await server?.close();
    server = await startOpenAITestServer(script);
    return generate(server, overrides);
  }

  /** One generator call against the running server. */
  async function generate(server: OpenAITestServer, overrides: Partial<OpenAIGeneratorOptions & PhaseGeneratorOptions> = {}) {
    const tree = new FsTree(snapshot, false);
    const options = {
      plan: { name: 'shop', appRoot: 'apps/shop' },
      phase,
      dependencies: [{ number: 1, name: 'Database', domain: 'database', features: ['client'], files: ['src/lib/db.ts'] }],
      context: [],
      runtime: runtime(),
      model: 'test-model',
      baseURL: server.url,
      apiKeyEnv: KEY_ENV,
      maxRetries: 2,
      ...overrides,
    };
    const outcome = await openaiGenerator(tree, options).then(
      () => undefined,
      (error: Error) => error,
    );
    return { tree, error: outcome, requests: server.requests };
  }

  it('writes the returned files into the tree and reports progress and usage', async () => {
    const files = [
      { path: 'src/auth/login.ts', content: 'export function login() {}\n' },
      { path: 'src/lib/db.ts', content: 'export const db = { users: [] };\n' },
    ];
    const { tree, error, requests } = await run({ steps: [{ kind: 'ok', files, usage: { prompt_tokens: 321, completion_tokens: 45 } }] });
    expect(error).toBeUndefined();
    flushChanges(snapshot, tree.listChanges());
    expect(readFileSync(join(snapshot, 'src/auth/login.ts'), 'utf8')).toBe(files[0].content);
    expect(readFileSync(join(snapshot, 'src/lib/db.ts'), 'utf8')).toBe(files[1].content);
    expect(usage).toEqual({ calls: 1, retries: 0, promptTokens: 321, completionTokens: 45, waitMs: expect.any(Number) });
    expect(titles).toEqual([expect.stringMatching(/^Generating \(test-model, ~\d+ prompt tokens\)$/), expect.stringMatching(/→ 45 output tokens\)$/)]);
    const body = requests[0].body as Record<string, any>;
    expect(body).toMatchObject({ model: 'test-model', temperature: 0, max_completion_tokens: 8000 });
    expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'phase_files', strict: true } });
    expect(body.messages[1].content).toContain('### src/lib/db.ts (you will modify this file; full text)');
  });

  describe('cost of each call', () => {
    const usageWithCache = { prompt_tokens: 321, completion_tokens: 45, prompt_tokens_details: { cached_tokens: 100 } };
    const writeNxJson = (prices: unknown) =>
      writeFileSync(join(workspace, 'nx.json'), JSON.stringify({ plugins: ['@nx/js', { plugin: 'nx-phases', options: { prices } }] }));

    it('is usage x the pinned price of the model, cached prompt tokens at the cached price', async () => {
      const { error } = await run({ steps: [{ kind: 'ok', files: 'planned', usage: usageWithCache }] }, { model: 'gpt-4.1-mini' });
      expect(error).toBeUndefined();
      expect(costs).toEqual([{ usd: expect.any(Number), model: 'gpt-4.1-mini' }]);
      expect(costs[0].usd).toBeCloseTo(221 * 0.4e-6 + 100 * 0.1e-6 + 45 * 1.6e-6, 12);
    });

    it("takes nx.json's prices, and the plan's generator options over them", async () => {
      writeNxJson({ 'test-model': { inputPerToken: 1e-6, outputPerToken: 2e-6 } });
      const step = { kind: 'ok' as const, files: 'planned' as const, usage: { prompt_tokens: 1000, completion_tokens: 10 } };
      await run({ steps: [step] });
      await run({ steps: [step] }, { prices: { 'test-model': { inputPerToken: 3e-6, cachedInputPerToken: 0, outputPerToken: 0 } } });
      expect(costs.map((cost) => cost.usd)).toEqual([1000 * 1e-6 + 10 * 2e-6, 1000 * 3e-6]);
    });

    it('is unknown (null), never 0, for a model without a price', async () => {
      const { error } = await run({ steps: [{ kind: 'ok', files: 'planned', usage: usageWithCache }] });
      expect(error).toBeUndefined();
      expect(costs).toEqual([{ usd: null, model: 'test-model' }]);
    });

    it("refuses bad prices in nx.json before any request, naming nx.json, the JSON path and the field's right name", async () => {
      writeNxJson({ 'test-model': { inputPerToken: 1e-6, outputPerTokn: 2e-6 } });
      const { error, requests } = await run({ steps: [{ kind: 'ok', files: 'planned' }] });
      expect(requests).toHaveLength(0);
      expect(error?.message).toContain('Invalid price overrides in nx.json');
      expect(error?.message).toContain('plugins[1].options.prices["test-model"].outputPerTokn is not a price field (did you mean "outputPerToken"?)');
    });

    it('ignores usage numbers that are not token counts and counts the prompt itself', async () => {
      const { error } = await run({ steps: [{ kind: 'ok', files: 'planned', usage: { prompt_tokens: -5, completion_tokens: Number.NaN } }] }, { model: 'gpt-4o' });
      expect(error).toBeUndefined();
      expect(usage.promptTokens).toBeGreaterThan(100);
      expect(costs[0].usd).toBeGreaterThan(0);
    });
  });

  it('waits at least the Retry-After of a 429 before the next attempt, with a countdown', async () => {
    const { error, requests } = await run({ steps: [{ kind: 'status', status: 429, headers: { 'retry-after': '2' } }] });
    expect(error).toBeUndefined();
    expect(requests.map((r) => r.status)).toEqual([429, 200]);
    expect(requests[1].arrivedAt - requests[0].finishedAt).toBeGreaterThanOrEqual(2000);
    expect(titles).toContainEqual(expect.stringMatching(/^Retrying in [12]\.\d s \(attempt 2 of 3 after HTTP 429\)$/));
    expect(usage).toMatchObject({ calls: 2, retries: 1 });
    expect(usage.waitMs).toBeGreaterThanOrEqual(2000);
    expect(limiterState().starts).toHaveLength(2); // the retry took its own limiter slot
  });

  it.each(['openai', 'anthropic'] as const)(
    'sends nothing until the reset once the server reports no requests remaining (%s headers), so it never gets a 429',
    async (style) => {
      const first = await run({ requestLimit: { limit: 1, resetMs: 800, style } });
      expect(first.error).toBeUndefined();
      expect(limiterState().provider.requests).toMatchObject({ remaining: 0 });
      const second = await generate(server as OpenAITestServer);
      expect(second.error).toBeUndefined();
      expect(second.requests.map((r) => r.status)).toEqual([200, 200]);
      expect(second.requests[1].arrivedAt - second.requests[0].arrivedAt).toBeGreaterThanOrEqual(800);
      expect(titles).toContainEqual(expect.stringMatching(/^Waiting for the provider's rate limit to reset \(\d\.\d s\)$/));
    },
  );

  describe('with a budget (maxCost)', () => {
    const ledger = () => JSON.parse(readFileSync(join(workspace, '.nx/workspace-data/nx-phases/budget/ledger.json'), 'utf8'));
    const withBudget = (usd: number) => ({ runtime: { ...runtime(), maxCost: { usd, source: 'test' } }, model: 'gpt-4.1-mini' });
    const price = priceFor('gpt-4.1-mini') as ModelPrice;

    it('reserves before the call and settles to the usage the server reported; a failed attempt spends nothing', async () => {
      const usage = { prompt_tokens: 900, completion_tokens: 120 };
      const { error, requests } = await run({ steps: [{ kind: 'status', status: 500 }, { kind: 'ok', usage }] }, withBudget(1));
      expect(error).toBeUndefined();
      expect(requests.map((r) => r.status)).toEqual([500, 200]);
      expect(ledger()).toMatchObject({ reservations: [], spentUsd: Number(costOfUsage({ promptTokens: 900, completionTokens: 120 }, price).toFixed(6)) });
    });

    it('spends nothing on a server that refuses the connection, so the failure names the server, not the budget', async () => {
      // A budget that fits one worst case but not two: were the first refused attempt counted, the second would be
      // refused as "Budget exceeded" instead of the phase failing on the unreachable server.
      const closed = await startOpenAITestServer({});
      const deadURL = closed.url;
      await closed.close();
      const worstCase = 0.0135;
      const { error } = await run({}, { ...withBudget(worstCase * 1.5), baseURL: deadURL, maxRetries: 3 });
      expect(error?.message).toContain(`nothing is listening at ${deadURL} (ECONNREFUSED, 2 attempts`);
      expect(error?.message).not.toContain('Budget exceeded');
      expect(ledger()).toMatchObject({ reservations: [], spentUsd: 0 });
      // Each refused attempt (one retry: a refused connection is not retried maxRetries times) is recorded as costing
      // $0 (the summary shows $0.0000, not "unknown").
      expect(costs).toEqual(Array.from({ length: 2 }, () => ({ usd: 0, model: 'gpt-4.1-mini' })));
    });

    it('fails before any request when the worst case does not fit, naming budget, spent, reserved and needed', async () => {
      // 8000 output tokens at gpt-4.1-mini's price alone cost $0.0128.
      const { error, requests } = await run({}, withBudget(0.01));
      expect(requests).toHaveLength(0);
      expect(error?.message).toMatch(
        /Budget exceeded: phase 3 "Auth" needs up to \$0\.01\d\d for its next call, but the budget is \$0\.0100 \(test\) with \$0\.0000 spent and \$0\.0000 reserved by calls in progress\. Nothing was sent/,
      );
      expect(ledger()).toMatchObject({ reservations: [], spentUsd: 0 });
    });

    it('reserves an upper bound for a model without a tokenizer, so Chinese text cannot take spending past the budget', async () => {
      // 3,000 CJK characters: characters / 3 estimates ~1,000 tokens; a real tokenizer bills about one per character.
      writeFileSync(join(snapshot, 'src/lib/db.ts'), `// ${'数据库连接'.repeat(600)}\nexport const db = {};\n`);
      const budgetUsd = 0.003;
      const local = {
        runtime: { ...runtime(), maxCost: { usd: budgetUsd, source: 'test' } },
        model: 'local-model',
        maxOutputTokens: 10,
        prices: { 'local-model': { inputPerToken: 1e-6, outputPerToken: 0 } },
      };
      const billed = { prompt_tokens: 4_000, completion_tokens: 10 };
      const { requests } = await run({ fallback: { kind: 'ok', files: 'planned', usage: billed } }, local);
      const spentAtServer = requests.filter((r) => r.status === 200).length * billed.prompt_tokens * 1e-6;
      expect(spentAtServer).toBeLessThanOrEqual(budgetUsd);
      expect(requests).toHaveLength(0);
      expect(ledger()).toMatchObject({ reservations: [], spentUsd: 0 });
    });

    it('refuses a model without a price when a budget is set, before any request', async () => {
      const { error, requests } = await run({}, { ...withBudget(5), model: 'my-local-model' });
      expect(requests).toHaveLength(0);
      expect(error?.message).toContain('has no price for model "my-local-model", so its calls cannot be counted. Nothing was sent.');
    });
  });

  describe('a server that is not there', () => {
    const where = { planFile: 'apps/shop/phases.json', jsonPath: 'phases[2].generator.options' };

    it('a refused connection (a closed port) gets one quick retry, not maxRetries, then one line naming the URL, the code and the fix', async () => {
      const closed = await startOpenAITestServer({});
      const deadURL = closed.url;
      await closed.close();
      const { error } = await run({}, { baseURL: deadURL, maxRetries: 6, runtime: { ...runtime(), where } });
      expect(usage).toMatchObject({ calls: 2, retries: 1 });
      expect(error?.message).toBe(
        `nx-phases:openai could not generate phase 3 "Auth" with test-model at ${deadURL}: nothing is listening at ${deadURL} ` +
          '(ECONNREFUSED, 2 attempts: connection refused). Start the server, or set options.baseURL at ' +
          "phases[2].generator.options.baseURL in apps/shop/phases.json to the server's URL.",
      );
      expect(titles).toContainEqual(expect.stringMatching(/^Retrying in \d+\.\d s \(attempt 2 of 2 after ECONNREFUSED\)$/));
    });

    it('a host name that does not resolve gets one quick retry too, and says to check the host', async () => {
      const { error } = await run({}, { baseURL: 'http://nx-phases-test.invalid/v1', maxRetries: 6, runtime: { ...runtime(), where } });
      expect(usage).toMatchObject({ calls: 2, retries: 1 });
      expect(error?.message).toMatch(
        /: the host name of http:\/\/nx-phases-test\.invalid\/v1 does not resolve \((ENOTFOUND|EAI_AGAIN: the name lookup failed), 2 attempts\)\. Check the host in options\.baseURL at phases\[2\]\.generator\.options\.baseURL in apps\/shop\/phases\.json, and the network's DNS\.$/,
      );
    });

    it('a connection reset is still retried maxRetries times (a server that closes every connection it accepts)', async () => {
      let connections = 0;
      const resetting = createServer((socket) => {
        connections++;
        socket.resetAndDestroy();
      });
      await new Promise<void>((resolve) => resetting.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = resetting.address() as AddressInfo;
        const { error } = await run({}, { baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 2 });
        expect(connections).toBe(3);
        expect(usage).toMatchObject({ calls: 3, retries: 2 });
        expect(error?.message).toContain('gave up after 3 attempts (options.maxRetries is 2)');
      } finally {
        await new Promise((resolve) => resetting.close(resolve));
      }
    });
  });

  it('fails at once, saying what to do, when Retry-After exceeds maxRetryAfterMs', async () => {
    const { error, requests } = await run(
      { steps: [{ kind: 'status', status: 429, headers: { 'retry-after': '3600' } }] },
      { maxRetryAfterMs: 60_000 },
    );
    expect(requests).toHaveLength(1);
    expect(error?.message).toContain('The server asked to retry after 3600 s, longer than maxRetryAfterMs (60 s). Try again later, or raise options.maxRetryAfterMs.');
  });

  it('honours a Retry-After longer than maxRetryAfterMs too: no phase sends before it, each fails at once saying so', async () => {
    const { error, requests } = await run(
      { steps: [{ kind: 'status', status: 429, headers: { 'retry-after': '3600' } }] },
      { maxRetryAfterMs: 60_000 },
    );
    expect(error?.message).toContain('The server asked to retry after 3600 s');
    // The pause is shared (state.json) although this phase gave up: another phase process would read the same state.
    expect(limiterState().pausedUntil).toBeGreaterThanOrEqual(requests[0].finishedAt + 3_600_000);
    const other = await generate(server!, { maxRetryAfterMs: 60_000 });
    expect(other.requests).toHaveLength(1); // the server's fallback would answer 200: nothing more was sent
    expect(other.error?.message).toMatch(
      /: The server told an earlier request to retry after a wait that has 3[56]\d\d s left \(Retry-After\), and no process sends to it before then; that is longer than maxRetryAfterMs \(60 s\)\. Nothing was sent\./,
    );
  });

  it('honours retry-after-ms and makes other processes wait too (shared pause)', async () => {
    const { error, requests } = await run({ steps: [{ kind: 'status', status: 503, headers: { 'retry-after-ms': '700' } }] });
    expect(error).toBeUndefined();
    expect(requests[1].arrivedAt - requests[0].finishedAt).toBeGreaterThanOrEqual(700);
    expect(limiterState().pausedUntil).toBeGreaterThanOrEqual(requests[0].finishedAt + 700);
  });

  it('retries a 500 and a timed-out request', async () => {
    const { error, requests } = await run(
      { steps: [{ kind: 'status', status: 500 }, { kind: 'ok', latencyMs: NEVER_MS }] },
      { timeoutMs: TIMEOUT_MS },
    );
    expect(error).toBeUndefined();
    expect(requests.map((r) => `${r.status}${r.clientClosed ? ' closed' : ''}`)).toEqual(['500', '200 closed', '200']);
    expect(usage).toMatchObject({ calls: 3, retries: 2 });
  });

  it('records the cost of a call that got no answer as unknown and why (sent, usage never reported), not as no price', async () => {
    const { error, requests } = await run({ steps: [{ kind: 'ok', latencyMs: NEVER_MS }] }, { timeoutMs: TIMEOUT_MS, model: 'gpt-4.1-mini' });
    expect(error).toBeUndefined();
    expect(requests.map((r) => `${r.status}${r.clientClosed ? ' closed' : ''}`)).toEqual(['200 closed', '200']);
    expect(costs).toEqual([{ usd: null, model: 'gpt-4.1-mini', unanswered: true }, { usd: expect.any(Number), model: 'gpt-4.1-mini' }]);
  });

  it('retries a reply with an unplanned path, then writes the good reply', async () => {
    const { tree, error, requests } = await run({ steps: [{ kind: 'ok', files: [{ path: 'src/evil.ts', content: '' }] }] });
    expect(error).toBeUndefined();
    expect(requests).toHaveLength(2);
    expect(tree.listChanges().map((c) => c.path).sort()).toEqual(['src/auth/login.ts', 'src/lib/db.ts']);
    expect(titles).toContainEqual(expect.stringContaining('after invalid reply'));
  });

  it('retries malformed and truncated replies, then fails clearly without writing anything', async () => {
    const { tree, error, requests } = await run({
      steps: [
        { kind: 'content', content: 'Sure, here is the code!' },
        { kind: 'content', content: '{"files":[{"path":"src/auth/login.ts","content":"exp', finishReason: 'length' },
        { kind: 'content', content: '{"notes":"forgot the files"}' },
      ],
    });
    expect(requests).toHaveLength(3);
    expect(tree.listChanges()).toEqual([]);
    expect(error?.message).toBe(
      'nx-phases:openai could not generate phase 3 "Auth" with test-model at ' +
        `${server?.url}: gave up after 3 attempts (options.maxRetries is 2). Last error: The reply lacks a "files" array. ` +
        'Reply starts: "{\\"notes\\":\\"forgot the files\\"}"',
    );
  });

  it('does not retry a 401', async () => {
    const { error, requests } = await run({ steps: [{ kind: 'status', status: 401, message: 'Incorrect API key' }] });
    expect(requests).toHaveLength(1);
    expect(error?.message).toContain(`401 Incorrect API key. The server rejected the API key in ${KEY_ENV}`);
  });

  it('falls back to json_object once on a 400, but does not retry a second 400', async () => {
    const { error, requests } = await run({
      steps: [
        { kind: 'status', status: 400, message: 'Unknown model' },
        { kind: 'status', status: 400, message: 'Unknown model' },
      ],
    });
    expect(requests.map((r) => (r.body as any).response_format.type)).toEqual(['json_schema', 'json_object']);
    expect(error?.message).toContain('400 Unknown model. Check options.model');
  });

  it('uses json_object when the server rejects json_schema', async () => {
    const { tree, error, requests } = await run({ rejectJsonSchema: true });
    expect(error).toBeUndefined();
    expect(requests.map((r) => `${r.status} ${(r.body as any).response_format.type}`)).toEqual(['400 json_schema', '200 json_object']);
    expect(tree.listChanges()).toHaveLength(2);
    expect(titles).toContain('The server rejected response_format json_schema; retrying with json_object');
  });

  it('fails with the variable name and makes no request when the key is missing', async () => {
    delete process.env[KEY_ENV];
    const { error, requests } = await run({});
    expect(requests).toHaveLength(0);
    expect(error?.message).toMatch(new RegExp(`^Set ${KEY_ENV} \\(named by options.apiKeyEnv\\) to your API key`));
    process.env.OPENAI_API_KEY_BACKUP = process.env.OPENAI_API_KEY ?? '';
    delete process.env.OPENAI_API_KEY;
    const defaulted = await run({}, { apiKeyEnv: undefined });
    if (process.env.OPENAI_API_KEY_BACKUP) process.env.OPENAI_API_KEY = process.env.OPENAI_API_KEY_BACKUP;
    delete process.env.OPENAI_API_KEY_BACKUP;
    expect(defaulted.error?.message).toMatch(/^Set OPENAI_API_KEY \(or options.apiKeyEnv\) to your API key/);
    expect(defaulted.requests).toHaveLength(0);
  });

  it('never lets a planted key reach errors, progress, usage, console output or files', async () => {
    const printed: string[] = [];
    const progressSetting = process.env.NX_PHASES_PROGRESS;
    process.env.NX_PHASES_PROGRESS = 'titles'; // every progress title is printed, and scanned below
    const spies = [
      jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (printed.push(String(chunk)), true)),
      jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (printed.push(String(chunk)), true)),
      ...(['log', 'warn', 'error', 'info', 'debug'] as const).map((level) =>
        jest.spyOn(console, level).mockImplementation((...args) => void printed.push(args.map(String).join(' '))),
      ),
    ];
    const echo = { echoAuthorization: true, headers: { 'retry-after': '0' } };
    const { error, requests } = await run(
      {
        steps: [
          { kind: 'status', status: 429, ...echo },
          { kind: 'content', content: `not json, but the key: ${KEY}` },
          { kind: 'status', status: 401, ...echo },
        ],
      },
      { maxRetries: 5 },
    ).finally(() => {
      spies.forEach((spy) => spy.mockRestore());
      process.env.NX_PHASES_PROGRESS = progressSetting;
    });
    expect(requests).toHaveLength(3);
    expect(error?.message).toContain('Authorization: Bearer ***');
    const surfaces = [error?.message, error?.stack, JSON.stringify(error), ...titles, JSON.stringify(usage), ...printed];
    for (const surface of surfaces) expect(surface ?? '').not.toContain(KEY);
    for (const file of listFiles(workspace)) expect(readFileSync(file, 'utf8')).not.toContain(KEY);
  });

  it('runs without executor hooks (nx g) using the current workspace data folder', async () => {
    process.env.NX_WORKSPACE_DATA_DIRECTORY = join(workspace, 'data');
    const { tree, error } = await run({}, { runtime: undefined });
    expect(error).toBeUndefined();
    expect(tree.listChanges()).toHaveLength(2);
    expect(readdirSync(join(workspace, 'data/nx-phases/rate-limit'))).toHaveLength(1);
  });

  it('rejects invalid options before any request', async () => {
    const { error, requests } = await run({}, { temperature: 5, maxRetries: -1 });
    expect(requests).toHaveLength(0);
    expect(error?.message).toBe(
      'Invalid nx-phases:openai options: temperature must be a number between 0 and 2 (got 5); ' +
        'maxRetries must be an integer at least 0 (got -1). Fix them in the plan\'s generator options.',
    );
  });

  it('names the plan file and the JSON path of the invalid options when the executor passes them', async () => {
    const where = { planFile: 'apps/shop/phases.json', jsonPath: 'phases[2].generator.options' };
    const { error, requests } = await run({}, { temperature: 5, runtime: { ...runtime(), where } });
    expect(requests).toHaveLength(0);
    expect(error?.message).toBe(
      'Invalid nx-phases:openai options: temperature must be a number between 0 and 2 (got 5). Fix them at phases[2].generator.options in apps/shop/phases.json.',
    );
  });
});

describe('openaiCacheKeyFields', () => {
  it('lists what changes the request, with defaults applied, and never the key', () => {
    process.env.OPENAI_API_KEY_FOR_TEST = KEY;
    expect(openaiCacheKeyFields({ baseURL: 'http://localhost:11434/v1/', apiKeyEnv: 'OPENAI_API_KEY_FOR_TEST', maxRetries: 3 })).toEqual({
      model: 'gpt-4.1-mini',
      baseURL: 'http://localhost:11434/v1',
      temperature: 0,
      maxContextTokens: 12_000,
      maxOutputTokens: 8_000,
      systemPrompt: null,
      promptTemplateVersion: PROMPT_TEMPLATE_VERSION,
    });
    expect(JSON.stringify(openaiCacheKeyFields({ systemPrompt: 'x' }))).not.toContain(KEY);
    delete process.env.OPENAI_API_KEY_FOR_TEST;
  });
});

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
