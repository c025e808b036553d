/**
 * A small OpenAI-compatible server for `POST /v1/chat/completions` on 127.0.0.1, with scripted
 * responses, for tests, e2e runs and the rate-limit benchmark.
 *
 * In-process: `const server = await startOpenAITestServer(script)`; `server.url` is the baseURL.
 * As a child process (prints `{"url": …, "port": …, "pid": …}` on one stdout line when ready,
 * stops on SIGTERM/SIGINT):
 *   node -r ts-node/register/transpile-only packages/nx-phases/src/test-utils/openai-test-server.ts \
 *     --script script.json --log requests.jsonl [--port 0]
 * Every request is logged (in memory and, with a log file, as one JSON line when it finishes) with
 * its arrival time, finish time and body; never its headers, so the API key is never logged.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countChatTokens, countTokens } from '../cost';

/** A fixed latency, or a uniformly random one in [min, max]. */
export type Latency = number | { min: number; max: number };

/** A file the server returns in a successful reply. */
export interface TestFile {
  path: string;
  content: string;
}

interface StepBase {
  /** Only requests whose last user message contains this text use the step. */
  match?: string;
  latencyMs?: Latency;
}

/** 200 with `{ files, notes }` as JSON content; `files: 'planned'` answers every planned file of the prompt. */
export interface OkStep extends StepBase {
  kind: 'ok';
  files?: TestFile[] | 'planned';
  notes?: string;
  /** Usage to report; default counts like OpenAI does (`countChatTokens` of the messages, `countTokens` of the reply); null omits `usage`. */
  usage?: { prompt_tokens: number; completion_tokens: number; prompt_tokens_details?: { cached_tokens: number } } | null;
  /** Extra response headers (e.g. `x-ratelimit-remaining-requests`). */
  headers?: Record<string, string>;
}

/** An error status (429, 500, 400, 401, …) with optional headers such as `retry-after` / `retry-after-ms`. */
export interface StatusStep extends StepBase {
  kind: 'status';
  status: number;
  headers?: Record<string, string>;
  message?: string;
  /** Quote the request's Authorization header in the error message (to test that it is redacted). */
  echoAuthorization?: boolean;
}

/** 200 with raw message content, e.g. malformed JSON, or `finishReason: 'length'` for a truncated reply. */
export interface ContentStep extends StepBase {
  kind: 'content';
  content: string;
  finishReason?: string;
}

/** One scripted response. */
export type ScriptStep = OkStep | StatusStep | ContentStep;

/** What the server answers. Each step answers one request, in order; then `fallback` answers. */
export interface TestServerScript {
  steps?: ScriptStep[];
  /** Answer once no step applies (default `{ kind: 'ok', files: 'planned' }`). */
  fallback?: ScriptStep;
  /** Latency of steps without their own (default 0). */
  latencyMs?: Latency;
  /** Answer `response_format: json_schema` with 400 (like servers without structured outputs). */
  rejectJsonSchema?: boolean;
  /** Enforce a provider request limit and report it in rate-limit headers (see `RequestLimit`). */
  requestLimit?: RequestLimit;
  /**
   * Enforce a provider in-flight limit: a request arriving while this many are being answered gets 429 at once
   * (answer `over-in-flight-limit`, with `retry-after-ms`), so every such 429 in the log is one violation.
   */
  maxInFlight?: number;
  /**
   * A gate: hold every reply until, for each of these strings, a request whose last user message contains it has
   * arrived (e.g. one phase of each of two concurrent runs), so a test knows those requests were in flight together.
   */
  holdUntilSeen?: string[];
}

/**
 * A provider-style request limit: a window opens at the first request when none is open and lasts `resetMs`; at most
 * `limit` requests are answered in it, later ones get 429 with Retry-After. Every reply carries the limit, the remaining
 * count and the time to the reset, in OpenAI's `x-ratelimit-*-requests` (a duration such as `1.98s`) or Anthropic's
 * `anthropic-ratelimit-requests-*` (an RFC 3339 time) headers.
 */
export interface RequestLimit {
  limit: number;
  resetMs: number;
  style?: 'openai' | 'anthropic';
}

/** One request as the server saw it. */
export interface RequestLogEntry {
  id: number;
  arrivedAt: number;
  finishedAt: number;
  status: number;
  /** The step kind that answered (`ok`, `status`, `content`), or `reject-json-schema` / `bad-request` / `not-found`. */
  answer: string;
  /** True when the client closed the connection before the reply was sent. */
  clientClosed: boolean;
  body: unknown;
  /** The usage the reply reported (what the client is billed for), when it reported one. */
  usage?: { prompt_tokens: number; completion_tokens: number };
}

/** A running server. */
export interface OpenAITestServer {
  /** The baseURL to give the openai client, e.g. `http://127.0.0.1:41234/v1`. */
  url: string;
  port: number;
  /** Finished requests, in finishing order. */
  requests: RequestLogEntry[];
  /** Requests that have arrived but not finished. */
  inFlight(): number;
  close(): Promise<void>;
}

/** Options for `startOpenAITestServer`. */
export interface TestServerOptions {
  port?: number;
  /** Append each finished request as a JSON line here. */
  logFile?: string;
  /** Leave request bodies out of the log (smaller logs for long benchmarks). */
  omitBodies?: boolean;
}

const DEFAULT_FALLBACK: ScriptStep = { kind: 'ok', files: 'planned' };

/** Start the server on 127.0.0.1 (port 0 = any free port). */
export async function startOpenAITestServer(
  script: TestServerScript = {},
  options: TestServerOptions = {},
): Promise<OpenAITestServer> {
  const pending = [...(script.steps ?? [])];
  const window = { openedAt: 0, count: 0 };
  const gate = seenGate(script.holdUntilSeen);
  const requests: RequestLogEntry[] = [];
  let nextId = 1;
  let inFlight = 0;
  let answering = 0;
  const server = createServer((req, res) => {
    const entry = { id: nextId++, arrivedAt: Date.now() };
    inFlight++;
    const overLimit = script.maxInFlight !== undefined && answering >= script.maxInFlight;
    if (!overLimit) answering++;
    readBody(req).then((raw) => {
      const body = parseJson(raw);
      const plan = overLimit
        ? overInFlightLimit(script.maxInFlight as number)
        : (limitRequests(script.requestLimit, window, entry.arrivedAt) ?? planAnswer(req, body, script, pending));
      const finish = (clientClosed: boolean) => {
        inFlight--;
        if (!overLimit) answering--;
        const logged: RequestLogEntry = {
          ...entry,
          finishedAt: Date.now(),
          status: plan.status,
          answer: plan.answer,
          clientClosed,
          body: options.omitBodies ? undefined : body,
          ...reportedUsage(plan.payload),
        };
        requests.push(logged);
        if (options.logFile) appendFileSync(options.logFile, JSON.stringify(logged) + '\n');
      };
      const headersAt = () => (script.requestLimit ? limitHeaders(script.requestLimit, window, Date.now()) : {});
      gate.see(isChatRequest(body) ? lastUserMessage(body) : '');
      void gate.opened.then(() => respondLater(res, plan, pickLatency(plan.latencyMs ?? script.latencyMs), finish, headersAt));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    inFlight: () => inFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface PlannedAnswer {
  status: number;
  answer: string;
  headers: Record<string, string>;
  payload: unknown;
  latencyMs?: Latency;
}

function planAnswer(req: IncomingMessage, body: unknown, script: TestServerScript, pending: ScriptStep[]): PlannedAnswer {
  if (req.method !== 'POST' || !req.url?.startsWith('/v1/chat/completions')) {
    return errorAnswer(404, 'not-found', `No route for ${req.method} ${req.url}`);
  }
  if (!isChatRequest(body)) return errorAnswer(400, 'bad-request', 'Body must be a JSON chat completion request.');
  if (script.rejectJsonSchema && body.response_format?.type === 'json_schema') {
    return errorAnswer(400, 'reject-json-schema', "response_format 'json_schema' is not supported by this server");
  }
  const prompt = lastUserMessage(body);
  const index = pending.findIndex((step) => step.match === undefined || prompt.includes(step.match));
  const step = index >= 0 ? pending.splice(index, 1)[0] : (script.fallback ?? DEFAULT_FALLBACK);
  return { ...answerFor(step, body, prompt, req), latencyMs: step.latencyMs };
}

function answerFor(step: ScriptStep, body: ChatRequest, prompt: string, req: IncomingMessage): PlannedAnswer {
  if (step.kind === 'status') {
    const auth = step.echoAuthorization ? ` (Authorization: ${req.headers.authorization ?? 'none'})` : '';
    const answer = errorAnswer(step.status, 'status', `${step.message ?? `Scripted status ${step.status}`}${auth}`);
    return { ...answer, headers: { ...step.headers } };
  }
  if (step.kind === 'content') return completion(body, 'content', step.content, step.finishReason ?? 'stop', undefined);
  const files = step.files === 'planned' || step.files === undefined ? plannedFilesFromPrompt(prompt).map(generatedFile) : step.files;
  const content = JSON.stringify({ files, notes: step.notes ?? null });
  const answer = completion(body, 'ok', content, 'stop', step.usage === undefined ? estimateUsage(body, content) : step.usage);
  return { ...answer, headers: { ...step.headers } };
}

/** The `holdUntilSeen` gate: `opened` resolves once every string was seen in a request (at once without strings). */
function seenGate(strings: string[] | undefined): { see(prompt: string): void; opened: Promise<void> } {
  const missing = new Set(strings ?? []);
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  if (missing.size === 0) open();
  return {
    see: (prompt) => {
      for (const text of missing) if (prompt.includes(text)) missing.delete(text);
      if (missing.size === 0) open();
    },
    opened,
  };
}

/** Counts a request against the limit's window; a 429 answer when the window is full. */
function limitRequests(limit: RequestLimit | undefined, window: { openedAt: number; count: number }, now: number): PlannedAnswer | undefined {
  if (!limit) return undefined;
  if (window.count === 0 || now >= window.openedAt + limit.resetMs) Object.assign(window, { openedAt: now, count: 0 });
  if (window.count >= limit.limit) {
    const waitMs = window.openedAt + limit.resetMs - now;
    const answer = errorAnswer(429, 'rate-limited', `Rate limit of ${limit.limit} requests per ${limit.resetMs} ms reached`);
    return { ...answer, headers: { 'retry-after-ms': String(waitMs), 'retry-after': String(Math.ceil(waitMs / 1000)) } };
  }
  window.count++;
  return undefined;
}

/** The 429 for a request over the in-flight limit: answered at once, asking the client to wait a second. */
function overInFlightLimit(limit: number): PlannedAnswer {
  const answer = errorAnswer(429, 'over-in-flight-limit', `Limit of ${limit} requests in flight reached`);
  return { ...answer, headers: { 'retry-after-ms': '1000' }, latencyMs: 0 };
}

/** The rate-limit headers for the window as it stands at `now`. */
function limitHeaders(limit: RequestLimit, window: { openedAt: number; count: number }, now: number): Record<string, string> {
  const resetAt = window.openedAt + limit.resetMs;
  const remaining = String(Math.max(0, limit.limit - window.count));
  if (limit.style === 'anthropic') {
    return {
      'anthropic-ratelimit-requests-limit': String(limit.limit),
      'anthropic-ratelimit-requests-remaining': remaining,
      'anthropic-ratelimit-requests-reset': new Date(resetAt).toISOString(),
    };
  }
  return {
    'x-ratelimit-limit-requests': String(limit.limit),
    'x-ratelimit-remaining-requests': remaining,
    'x-ratelimit-reset-requests': `${(Math.max(0, resetAt - now) / 1000).toFixed(3)}s`,
  };
}

function completion(
  body: ChatRequest,
  answer: string,
  content: string,
  finishReason: string,
  usage: OkStep['usage'],
): PlannedAnswer {
  const payload = {
    id: `chatcmpl-test`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason }],
    ...(usage ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } } : {}),
  };
  return { status: 200, answer, headers: {}, payload };
}

function reportedUsage(payload: unknown): { usage?: { prompt_tokens: number; completion_tokens: number } } {
  const usage = (payload as { usage?: { prompt_tokens: number; completion_tokens: number } }).usage;
  return usage ? { usage: { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens } } : {};
}

function errorAnswer(status: number, answer: string, message: string): PlannedAnswer {
  return { status, answer, headers: {}, payload: { error: { message, type: 'test_server_error', code: status } } };
}

function respondLater(
  res: ServerResponse,
  plan: PlannedAnswer,
  latencyMs: number,
  finish: (closed: boolean) => void,
  headersAt: () => Record<string, string>,
) {
  let done = false;
  const timer = setTimeout(() => {
    if (done) return;
    done = true;
    res.writeHead(plan.status, { 'content-type': 'application/json', ...headersAt(), ...plan.headers });
    res.end(JSON.stringify(plan.payload), () => finish(false));
  }, latencyMs);
  res.on('close', () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    finish(true);
  });
}

/** The paths listed under the prompt's "## Files you may write" heading (the nx-phases prompt format). */
export function plannedFilesFromPrompt(prompt: string): string[] {
  const section = prompt.split('## Files you may write')[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('- '))
    .map((line) => line.slice(2).trim());
}

/** Deterministic placeholder content for a planned file. */
function generatedFile(path: string): TestFile {
  if (path.endsWith('.json')) return { path, content: JSON.stringify({ generatedBy: 'openai-test-server', path }, null, 2) + '\n' };
  if (path.endsWith('.md')) return { path, content: `# ${path}\n\nGenerated by the OpenAI test server.\n` };
  return { path, content: `// ${path}: generated by the OpenAI test server\nexport const generatedPath = ${JSON.stringify(path)};\n` };
}

interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content: unknown }>;
  response_format?: { type?: string };
}

function isChatRequest(body: unknown): body is ChatRequest {
  return typeof body === 'object' && body !== null && Array.isArray((body as ChatRequest).messages);
}

function lastUserMessage(body: ChatRequest): string {
  const user = body.messages.filter((m) => m.role === 'user').at(-1);
  return typeof user?.content === 'string' ? user.content : JSON.stringify(user?.content ?? '');
}

/** The usage an OpenAI server bills: the request's messages with chat framing, the reply's content (exact for OpenAI-family models). */
function estimateUsage(body: ChatRequest, content: string) {
  const model = String(body.model ?? '');
  const messages = body.messages.map((m) => ({ role: String(m.role), content: String(m.content) }));
  return { prompt_tokens: countChatTokens(messages, model).tokens, completion_tokens: countTokens(content, model).tokens };
}

function pickLatency(latency: Latency | undefined): number {
  if (latency === undefined) return 0;
  if (typeof latency === 'number') return latency;
  return latency.min + Math.random() * (latency.max - latency.min);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** Read a JSON-lines request log written by the server. */
export function readRequestLog(file: string): RequestLogEntry[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as RequestLogEntry);
}

/** Limits checked against a request log (field names as in the plan's `rateLimit`). */
export interface LogLimits {
  maxConcurrentRequests: number;
  minDelayBetweenMs: number;
  requestsPerMinute: number;
  /** Window length for requestsPerMinute (default 60000). */
  windowMs?: number;
}

/** What the log shows: peaks, and how often each limit was broken (as the server saw arrivals). */
export interface RequestLogAnalysis {
  requests: number;
  maxInFlight: number;
  minGapMs: number;
  maxInWindow: number;
  violations: { concurrency: number; spacing: number; window: number };
}

/**
 * Analyse arrivals and finishes: in-flight count over time (a request is in flight from arrival to
 * finish), gaps between consecutive arrivals, and the most arrivals in any window `[t, t + windowMs)`.
 */
export function analyseRequestLog(entries: RequestLogEntry[], limits: LogLimits): RequestLogAnalysis {
  const windowMs = limits.windowMs ?? 60_000;
  const arrivals = entries.map((e) => e.arrivedAt).sort((a, b) => a - b);
  const events = entries.flatMap((e) => [
    { at: e.arrivedAt, delta: 1 },
    { at: e.finishedAt, delta: -1 },
  ]);
  events.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let current = 0;
  let maxInFlight = 0;
  let concurrency = 0;
  for (const event of events) {
    current += event.delta;
    if (event.delta > 0 && current > limits.maxConcurrentRequests) concurrency++;
    maxInFlight = Math.max(maxInFlight, current);
  }
  const gaps = arrivals.slice(1).map((at, i) => at - arrivals[i]);
  let maxInWindow = 0;
  let window = 0;
  for (let first = 0, last = 0; first < arrivals.length; first++) {
    while (last < arrivals.length && arrivals[last] < arrivals[first] + windowMs) last++;
    maxInWindow = Math.max(maxInWindow, last - first);
    if (last - first > limits.requestsPerMinute) window++;
  }
  return {
    requests: entries.length,
    maxInFlight,
    minGapMs: gaps.length ? Math.min(...gaps) : Infinity,
    maxInWindow,
    violations: { concurrency, spacing: gaps.filter((gap) => gap < limits.minDelayBetweenMs).length, window },
  };
}

function cliArgument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const scriptFile = cliArgument('script');
  const script: TestServerScript = scriptFile ? JSON.parse(readFileSync(scriptFile, 'utf8')) : {};
  const server = await startOpenAITestServer(script, {
    port: Number(cliArgument('port') ?? 0),
    logFile: cliArgument('log'),
    omitBodies: process.argv.includes('--omit-bodies'),
  });
  process.stdout.write(JSON.stringify({ url: server.url, port: server.port, pid: process.pid }) + '\n');
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`openai-test-server: ${error?.stack ?? error}\n`);
    process.exit(1);
  });
}
