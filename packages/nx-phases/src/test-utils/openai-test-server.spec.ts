import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import {
  analyseRequestLog,
  OpenAITestServer,
  plannedFilesFromPrompt,
  readRequestLog,
  RequestLogEntry,
  startOpenAITestServer,
} from './openai-test-server';

const chat = (prompt: string, extra: Record<string, unknown> = {}) => ({
  model: 'test-model',
  messages: [
    { role: 'system', content: 'system' },
    { role: 'user', content: prompt },
  ],
  ...extra,
});

async function post(server: OpenAITestServer, body: unknown, signal?: AbortSignal) {
  const response = await fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test-secret' },
    body: JSON.stringify(body),
    signal,
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json = (await response.json()) as any;
  return { status: response.status, headers: response.headers, json };
}

describe('OpenAI test server (in process)', () => {
  let server: OpenAITestServer;
  afterEach(() => server?.close());

  it('answers scripted steps in order, then the fallback, and logs each request', async () => {
    server = await startOpenAITestServer({
      steps: [
        { kind: 'status', status: 429, headers: { 'retry-after': '2' } },
        { kind: 'status', status: 500 },
        { kind: 'content', content: 'not json', finishReason: 'length' },
        { kind: 'ok', files: [{ path: 'a.ts', content: 'x' }], usage: { prompt_tokens: 7, completion_tokens: 3 } },
      ],
      fallback: { kind: 'status', status: 503 },
    });
    const limited = await post(server, chat('p'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect((await post(server, chat('p'))).status).toBe(500);
    const truncated = await post(server, chat('p'));
    expect(truncated.json.choices[0]).toMatchObject({ message: { content: 'not json' }, finish_reason: 'length' });
    const ok = await post(server, chat('p'));
    expect(JSON.parse(ok.json.choices[0].message.content)).toEqual({ files: [{ path: 'a.ts', content: 'x' }], notes: null });
    expect(ok.json.usage).toEqual({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    expect((await post(server, chat('p'))).status).toBe(503);
    expect(server.requests.map((r) => `${r.status}:${r.answer}`)).toEqual([
      '429:status',
      '500:status',
      '200:content',
      '200:ok',
      '503:status',
    ]);
    expect(server.requests[0].body).toEqual(chat('p'));
    expect(JSON.stringify(server.requests)).not.toContain('sk-test-secret');
  });

  it('returns every planned file of the prompt by default', async () => {
    server = await startOpenAITestServer();
    const prompt = '# Phase 1\n\n## Files you may write\nOnly these:\n- src/a.ts\n- docs/b.md\n\n## Reply format\n- not a file';
    const reply = await post(server, chat(prompt));
    const files = JSON.parse(reply.json.choices[0].message.content).files;
    expect(files.map((f: { path: string }) => f.path)).toEqual(['src/a.ts', 'docs/b.md']);
    expect(plannedFilesFromPrompt(prompt)).toEqual(['src/a.ts', 'docs/b.md']);
  });

  it('routes steps by prompt text, rejects json_schema when asked, and can echo the Authorization header', async () => {
    server = await startOpenAITestServer({
      rejectJsonSchema: true,
      steps: [{ kind: 'status', status: 401, match: 'Phase 2', echoAuthorization: true }],
    });
    const schema = await post(server, chat('Phase 1', { response_format: { type: 'json_schema' } }));
    expect(schema.status).toBe(400);
    expect(schema.json.error.message).toContain('json_schema');
    expect((await post(server, chat('Phase 1', { response_format: { type: 'json_object' } }))).status).toBe(200);
    const unauthorized = await post(server, chat('Phase 2'));
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.json.error.message).toContain('Bearer sk-test-secret');
  });

  it('holds replies for the scripted latency and records client disconnects', async () => {
    server = await startOpenAITestServer({ latencyMs: 150, steps: [{ kind: 'ok', latencyMs: 5_000 }] });
    const controller = new AbortController();
    const abandoned = post(server, chat('slow'), controller.signal).catch((error) => error);
    await new Promise((r) => setTimeout(r, 100));
    expect(server.inFlight()).toBe(1);
    controller.abort();
    await abandoned;
    await post(server, chat('normal'));
    const [closed, normal] = server.requests;
    expect(closed.clientClosed).toBe(true);
    expect(normal.clientClosed).toBe(false);
    expect(normal.finishedAt - normal.arrivedAt).toBeGreaterThanOrEqual(140);
  });
});

describe('OpenAI test server (child process)', () => {
  jest.setTimeout(30_000);

  it('runs standalone with ts-node, prints its URL and writes a JSON-lines log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nx-phases-test-server-'));
    const scriptFile = join(dir, 'script.json');
    const logFile = join(dir, 'requests.jsonl');
    writeFileSync(scriptFile, JSON.stringify({ steps: [{ kind: 'status', status: 500 }] }));
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(__dirname, 'openai-test-server.ts'), '--script', scriptFile, '--log', logFile],
      { env: { ...process.env, TS_NODE_PROJECT: resolve(__dirname, '../../tsconfig.spec.json') }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const [line] = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next().then((r) => [r.value]);
      const { url, pid } = JSON.parse(line);
      expect(pid).toBe(child.pid);
      const server = { url } as OpenAITestServer;
      expect((await post(server, chat('one'))).status).toBe(500);
      expect((await post(server, chat('two'))).status).toBe(200);
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(readRequestLog(logFile).map((r) => r.status)).toEqual([500, 200]);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('analyseRequestLog', () => {
  const entry = (arrivedAt: number, finishedAt: number): RequestLogEntry => ({
    id: 0,
    arrivedAt,
    finishedAt,
    status: 200,
    answer: 'ok',
    clientClosed: false,
    body: undefined,
  });

  it('finds in-flight peaks, short gaps and crowded windows', () => {
    const log = [entry(0, 500), entry(100, 300), entry(300, 900), entry(1000, 1100), entry(1500, 1600)];
    const limits = { maxConcurrentRequests: 2, minDelayBetweenMs: 150, requestsPerMinute: 3, windowMs: 1000 };
    expect(analyseRequestLog(log, limits)).toEqual({
      requests: 5,
      maxInFlight: 2,
      minGapMs: 100,
      maxInWindow: 3,
      violations: { concurrency: 0, spacing: 1, window: 0 },
    });
    const strict = { maxConcurrentRequests: 1, minDelayBetweenMs: 0, requestsPerMinute: 2, windowMs: 1000 };
    expect(analyseRequestLog(log, strict).violations).toEqual({ concurrency: 2, spacing: 0, window: 2 });
  });
});

describe('OpenAI test server: provider rate-limit headers', () => {
  let server: OpenAITestServer;
  afterEach(() => server?.close());

  it('reports the request window in OpenAI headers and answers 429 with Retry-After once it is used up', async () => {
    server = await startOpenAITestServer({ requestLimit: { limit: 2, resetMs: 600_000 } });
    const first = await post(server, chat('p'));
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect(first.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+\.\d{3}s$/);
    expect((await post(server, chat('p'))).headers.get('x-ratelimit-remaining-requests')).toBe('0');
    const limited = await post(server, chat('p'));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after-ms'))).toBeGreaterThan(0);
    expect(server.requests.map((r) => r.status)).toEqual([200, 200, 429]);
  });

  it('sends Anthropic headers (RFC 3339 reset) and a step’s own headers', async () => {
    server = await startOpenAITestServer({
      requestLimit: { limit: 5, resetMs: 600_000, style: 'anthropic' },
      steps: [{ kind: 'ok', headers: { 'x-ratelimit-remaining-tokens': '42' } }],
    });
    const reply = await post(server, chat('p'));
    expect(reply.headers.get('anthropic-ratelimit-requests-remaining')).toBe('4');
    expect(reply.headers.get('anthropic-ratelimit-requests-reset')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(reply.headers.get('x-ratelimit-remaining-tokens')).toBe('42');
  });
});

describe('OpenAI test server: the holdUntilSeen gate', () => {
  let server: OpenAITestServer;
  afterEach(() => server?.close());

  it('holds replies until a request containing each string has arrived', async () => {
    server = await startOpenAITestServer({ holdUntilSeen: ['left', 'right'] });
    const first = post(server, chat('the left one'));
    let answered = false;
    void first.then(() => (answered = true));
    await new Promise((resolve) => setImmediate(resolve));
    while (server.inFlight() < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(answered).toBe(false);
    const second = await post(server, chat('the right one'));
    expect(second.status).toBe(200);
    expect((await first).status).toBe(200);
  });
});

describe('OpenAI test server: the in-flight limit (maxInFlight)', () => {
  let server: OpenAITestServer;
  afterEach(() => server?.close());

  it('answers 429 at once to a request arriving while the limit is being answered, and serves again once one finishes', async () => {
    server = await startOpenAITestServer({ maxInFlight: 2, holdUntilSeen: ['third'] });
    const held = [post(server, chat('first')), post(server, chat('second'))];
    while (server.inFlight() < 2) await new Promise((done) => setTimeout(done, 5)); // gate: both are being answered
    const over = await post(server, chat('third'));
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after-ms')).toBe('1000');
    expect((await Promise.all(held)).map((reply) => reply.status)).toEqual([200, 200]);
    expect((await post(server, chat('fourth'))).status).toBe(200);
    expect(server.requests.map((r) => `${r.status}:${r.answer}`).sort()).toEqual(['200:ok', '200:ok', '200:ok', '429:over-in-flight-limit']);
  });
});
