import { join } from 'node:path';
import {
  startOpenAITestServer,
  type OpenAITestServer,
  type RequestLogEntry,
  type TestFile,
  type TestServerScript,
} from '../../../nx-phases/src/test-utils/openai-test-server';
import type { E2eState } from './e2e-state';
import type { GeneratorSpec } from './plan-file';

export { analyseRequestLog, readRequestLog } from '../../../nx-phases/src/test-utils/openai-test-server';
export type { OpenAITestServer, RequestLogEntry, TestFile, TestServerScript } from '../../../nx-phases/src/test-utils/openai-test-server';

/** The model name every e2e plan asks the test server for. */
export const E2E_MODEL = 'e2e-model';

/** Starts the OpenAI test server on 127.0.0.1 (any free port), logging to `<tempRoot>/logs/<name>-openai.jsonl`. */
export async function startScenarioServer(
  state: E2eState,
  name: string,
  script: TestServerScript,
): Promise<{ server: OpenAITestServer; logFile: string }> {
  const logFile = join(state.tempRoot, 'logs', `${name}-openai.jsonl`);
  const server = await startOpenAITestServer(script, { logFile });
  return { server, logFile };
}

/** A `nx-phases:openai` generator spec pointing at `baseURL`, plus any other options. */
export function openaiGenerator(baseURL: string, options: Record<string, unknown> = {}): GeneratorSpec {
  return { use: 'nx-phases:openai', options: { model: E2E_MODEL, baseURL, ...options } };
}

/** The first line of a phase's prompt (`# Phase 3: Auth`): matches only that phase's own request. */
export function phaseHeading(number: number, name: string): string {
  return `# Phase ${number}: ${name}\n`;
}

/** The last user message of a logged request (the phase prompt). */
export function promptOf(entry: RequestLogEntry): string {
  const messages = (entry.body as { messages?: Array<{ role: string; content: unknown }> } | undefined)?.messages ?? [];
  const user = messages.filter((m) => m.role === 'user').at(-1);
  return typeof user?.content === 'string' ? user.content : '';
}

/** The logged requests of one phase (by its prompt heading), in arrival order. */
export function requestsOfPhase(entries: RequestLogEntry[], number: number, name: string): RequestLogEntry[] {
  const heading = phaseHeading(number, name);
  return entries.filter((e) => promptOf(e).startsWith(heading)).sort((a, b) => a.arrivedAt - b.arrivedAt);
}

/** Distinctive file content for a phase (non-ASCII, CRLF, no final newline), so a byte compare means something. */
export function distinctiveFile(path: string, phase: number): TestFile {
  return { path, content: `// ${path} — phase ${phase} ✓ ünïcødé\r\nexport const phase${phase} = ${JSON.stringify(path)};\r\n\t// end` };
}
