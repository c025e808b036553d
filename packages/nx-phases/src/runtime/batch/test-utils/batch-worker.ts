/**
 * A batch worker for the worker-exit tests, forked with an IPC channel as Nx forks its batch worker: on a
 * `{ type: 'run', root, tasks }` message it runs the real batch executor (executors/phase/batch), sends each result
 * and then the whole batch's results over IPC the way Nx 23.3's run-batch.js does, and never calls process.exit.
 * With `HOLD_CHANNEL=1` it keeps the channel referenced after the batch (an idle worker Nx must stop).
 */
import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import phaseBatchExecutor from '../../../executors/phase/batch';
import type { PhaseExecutorOptions } from '../../../executors/phase/schema';

interface RunMessage {
  type: 'run';
  root: string;
  tasks: Array<{ id: string; plan: string; phase: number; dependencies: string[] }>;
}

process.on('message', async (message: RunMessage) => {
  if (message.type !== 'run') return;
  const taskGraph = {
    roots: [],
    tasks: Object.fromEntries(message.tasks.map((t) => [t.id, { id: t.id, target: { project: t.id.split(':')[0], target: 'phase' }, overrides: {}, outputs: [], parallelism: true }])),
    dependencies: Object.fromEntries(message.tasks.map((t) => [t.id, t.dependencies])),
    continuousDependencies: {},
  } as unknown as TaskGraph;
  const inputs: Record<string, PhaseExecutorOptions> = Object.fromEntries(message.tasks.map((t) => [t.id, { plan: t.plan, phase: t.phase } as PhaseExecutorOptions]));
  const context = { root: message.root, cwd: message.root, isVerbose: false } as ExecutorContext;
  const results: Record<string, unknown> = {};
  for await (const { task, result } of phaseBatchExecutor(taskGraph, inputs, {}, context)) {
    results[task] = result;
    process.send!({ type: 'completeTask', task, result });
  }
  if (process.env.HOLD_CHANNEL === '1') process.channel?.ref();
  process.send!({ type: 'completeBatchExecution', results });
});
process.send!({ type: 'ready' });
