import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const TSCONFIG = resolve(__dirname, '../../tsconfig.spec.json');

/** @nx/devkit's modules, and the heavy part of Nx it loads (devkit exports, the plugin loader), a fresh process holds after requiring `module`. */
function nxModulesAfterRequiring(module: string): string[] {
  const script = `require(${JSON.stringify(module)}); console.log(JSON.stringify(Object.keys(require.cache).filter((f) => /node_modules[\\\\/]@nx[\\\\/]devkit[\\\\/]|nx[\\\\/]dist[\\\\/]src[\\\\/](devkit-exports|project-graph[\\\\/]plugins)/.test(f))));`;
  const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    env: { ...process.env, TS_NODE_PROJECT: TSCONFIG },
    encoding: 'utf8',
    timeout: 110_000,
  });
  if (child.status !== 0) throw new Error(`requiring ${module} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as string[];
}

// The batch worker and the plan's aggregate target are the processes at the end of an LLM run's critical path and
// at its tail: loading @nx/devkit there (0.2-0.6 s under load, it pulls Nx's plugin loader) would be paid every run.
describe('modules on the critical path of a run', () => {
  jest.setTimeout(120_000);

  it.each([
    ['the batch executor', join(__dirname, 'phase', 'batch.ts')],
    ['the aggregate target (assemble)', join(__dirname, 'assemble', 'executor.ts')],
  ])('%s loads neither @nx/devkit nor its Nx plugin loader', (_name, module) => {
    expect(nxModulesAfterRequiring(module)).toEqual([]);
  });
});
