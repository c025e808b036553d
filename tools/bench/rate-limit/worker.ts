/**
 * One benchmark process. Config: JSON in argv[2] (see `BenchWorkerConfig`). It loads everything,
 * prints `ready`, reads `{ startAt, deadline }` as one JSON line on stdin, then from `startAt`
 * until `deadline` generates a one-file phase over and over through `requestPhaseFiles` (the
 * openai generator's limiter + retries + SDK path), and prints a JSON summary line.
 */
import { createInterface } from 'node:readline';
import type { RateLimit } from '../../../packages/nx-phases/src/plan/types';
import { requestPhaseFiles } from '../../../packages/nx-phases/src/generators/openai/client';
import { resolveOpenAIOptions } from '../../../packages/nx-phases/src/generators/openai/options';
import { buildPhasePrompt } from '../../../packages/nx-phases/src/generators/openai/prompt';
import type { GeneratorUsage } from '../../../packages/nx-phases/src/runtime/phase-generator';
import { CrossProcessRateLimiter, rateLimitStateDir, sleep } from '../../../packages/nx-phases/src/runtime/rate-limit';
import { warmUpFetch } from '../../../packages/nx-phases/src/generators/openai/send-hook';

/** What the runner passes to each worker. */
export interface BenchWorkerConfig {
  worker: number;
  workspaceRoot: string;
  baseURL: string;
  model: string;
  limits: RateLimit;
}

/** When to run, sent on stdin once every worker is ready. */
export interface BenchWindow {
  startAt: number;
  deadline: number;
}

async function main(config: BenchWorkerConfig): Promise<void> {
  const options = resolveOpenAIOptions({ model: config.model, baseURL: config.baseURL, timeoutMs: 30_000 });
  const phase = {
    number: config.worker,
    name: `Bench ${config.worker}`,
    domain: 'feature',
    description: 'Benchmark phase.',
    features: ['benchmark'],
    dependencies: [],
    plannedFiles: [`src/bench-${config.worker}.ts`],
    predictedFiles: false,
  };
  const prompt = buildPhasePrompt({ planName: 'bench', phase, dependencies: [], context: [], files: [], maxContextTokens: 2_000, model: options.model });
  const limiter = new CrossProcessRateLimiter({
    stateDir: rateLimitStateDir(config.workspaceRoot, options.baseURL, options.model),
    limits: config.limits,
  });
  const usage: GeneratorUsage = { calls: 0, retries: 0, promptTokens: 0, completionTokens: 0, waitMs: 0 };
  const controller = new AbortController();
  await warmUpFetch();
  process.stdout.write('ready\n');
  const window = await readWindow();
  await sleep(window.startAt - Date.now());
  setTimeout(() => controller.abort(new Error('benchmark over')), window.deadline - Date.now());
  const runtime = {
    workspaceRoot: config.workspaceRoot,
    snapshotRoot: config.workspaceRoot,
    rateLimit: config.limits,
    progress: () => undefined,
    recordUsage: (delta: Partial<GeneratorUsage>) => {
      for (const key of Object.keys(usage) as Array<keyof GeneratorUsage>) usage[key] += delta[key] ?? 0;
    },
    signal: controller.signal,
  };
  let completed = 0;
  let failed = 0;
  while (!controller.signal.aborted) {
    try {
      await requestPhaseFiles({ prompt, plannedFiles: phase.plannedFiles, options, apiKey: 'bench-key', runtime, limiter });
      completed++;
    } catch (error) {
      if (!controller.signal.aborted) {
        failed++;
        process.stderr.write(`worker ${config.worker}: ${(error as Error).message}\n`);
      }
    }
  }
  process.stdout.write(JSON.stringify({ worker: config.worker, completed, failed, ...usage }) + '\n');
}

async function readWindow(): Promise<BenchWindow> {
  for await (const line of createInterface({ input: process.stdin })) return JSON.parse(line) as BenchWindow;
  throw new Error('stdin closed before the benchmark window was sent');
}

main(JSON.parse(process.argv[2]) as BenchWorkerConfig).catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
