import { rmSync } from 'node:fs';
import { STATE_ENV, loadState } from './utils/e2e-state';
import { keepTempFolders } from './utils/nx-env';

/** Removes the suite's temp folder, unless KEEP_E2E=1 asks to keep it for debugging. */
export default async function globalTeardown(): Promise<void> {
  if (!process.env[STATE_ENV]) return;
  const { tempRoot } = loadState();
  if (keepTempFolders()) {
    process.stdout.write(`\nnx-phases e2e: kept ${tempRoot} (KEEP_E2E=1)\n`);
    return;
  }
  rmSync(tempRoot, { recursive: true, force: true });
}
