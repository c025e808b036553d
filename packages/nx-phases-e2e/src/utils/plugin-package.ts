import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { nxEnv } from './nx-env';
import { runProcess } from './run-process';

/**
 * Builds the plugin with the repo's own `nx build nx-phases` into `outputPath` (a private folder, so a
 * teammate's concurrent build of dist/packages/nx-phases cannot change the files while we pack them).
 */
export function buildPlugin(repoRoot: string, outputPath: string): void {
  runProcess('npx', ['nx', 'build', 'nx-phases', '--skip-nx-cache', `--outputPath=${outputPath}`, '--outputStyle=static'], {
    cwd: repoRoot,
    env: nxEnv(),
    timeoutMs: 300_000,
  });
  for (const required of ['package.json', 'executors.json', 'generators.json', 'src/index.js']) {
    if (!existsSync(join(outputPath, required))) throw new Error(`The plugin build in ${outputPath} lacks ${required}.`);
  }
}

/** Packs a built plugin folder with `npm pack` and returns the tarball's absolute path. */
export function packPlugin(distFolder: string, packDestination: string): string {
  mkdirSync(packDestination, { recursive: true });
  runProcess('npm', ['pack', distFolder, '--pack-destination', packDestination, '--silent'], { cwd: packDestination });
  const tarballs = readdirSync(packDestination).filter((name) => name.endsWith('.tgz'));
  if (tarballs.length !== 1) throw new Error(`Expected one tarball in ${packDestination}, found: ${tarballs.join(', ') || 'none'}.`);
  return join(packDestination, tarballs[0]);
}
