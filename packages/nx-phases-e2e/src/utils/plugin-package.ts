import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { nxEnv } from './nx-env';
import { runProcess } from './run-process';

/**
 * Builds the plugin with the repo's own `nx build nx-phases`, packs it into `packDestination` and returns
 * the tarball. The build goes to a private folder under the repo's (ignored) tmp/, so a teammate's concurrent
 * build of dist/packages/nx-phases cannot change files while we pack them; @nx/js:tsc resolves `outputPath`
 * against the workspace root, so it has to stay inside the repo. The folder is removed afterwards.
 */
export function buildAndPackPlugin(repoRoot: string, packDestination: string, timings: Record<string, number>): string {
  const outputPath = join('tmp', `nx-phases-e2e-build-${process.pid}-${randomBytes(3).toString('hex')}`);
  const distFolder = join(repoRoot, outputPath);
  let failed = true;
  try {
    timed(timings, 'build', () => buildPlugin(repoRoot, outputPath, distFolder));
    const tarball = timed(timings, 'pack', () => packPlugin(distFolder, packDestination));
    failed = false;
    return tarball;
  } finally {
    // A build killed at its time limit may leave a compiler writing here for a moment: retry, and never let a
    // clean-up error hide the build's own error.
    try {
      rmSync(distFolder, { recursive: true, force: true, maxRetries: 5 });
    } catch (error) {
      if (!failed) throw error;
    }
  }
}

function buildPlugin(repoRoot: string, outputPath: string, distFolder: string): void {
  runProcess('npx', ['nx', 'build', 'nx-phases', '--skip-nx-cache', `--outputPath=${outputPath}`, '--outputStyle=static'], {
    cwd: repoRoot,
    env: nxEnv(),
    timeoutMs: 300_000,
  });
  for (const required of ['package.json', 'executors.json', 'generators.json', 'src/index.js']) {
    if (!existsSync(join(distFolder, required))) throw new Error(`The plugin build in ${distFolder} lacks ${required}.`);
  }
}

function packPlugin(distFolder: string, packDestination: string): string {
  mkdirSync(packDestination, { recursive: true });
  runProcess('npm', ['pack', distFolder, '--pack-destination', packDestination, '--silent'], { cwd: packDestination });
  const tarballs = readdirSync(packDestination).filter((name) => name.endsWith('.tgz'));
  if (tarballs.length !== 1) throw new Error(`Expected one tarball in ${packDestination}, found: ${tarballs.join(', ') || 'none'}.`);
  return join(packDestination, tarballs[0]);
}

/** Runs `step`, recording its duration in seconds under `label`. */
export function timed<T>(timings: Record<string, number>, label: string, step: () => T): T {
  const started = Date.now();
  try {
    return step();
  } finally {
    timings[label] = (Date.now() - started) / 1000;
  }
}
