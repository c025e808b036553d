/**
 * A child process for the sandbox tests: `sandbox-on-arch.ts <arch> <folder>` makes this process report `<arch>` as
 * its `process.arch` (the one way to stand on a machine the seccomp filter is not built for), then prepares a sandbox
 * for a snapshot in `<folder>/snapshot` with its private folder `<folder>/private`, and prints `PREPARED` or the
 * error's message.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareSandbox } from '../sandbox';

const [arch, folder] = process.argv.slice(2);
Object.defineProperty(process, 'arch', { value: arch });
const workDir = join(folder, 'snapshot');
const privateFolder = join(folder, 'private');
mkdirSync(workDir);
mkdirSync(privateFolder);
writeFileSync(join(privateFolder, 'context.json'), '{}');
try {
  prepareSandbox(
    { network: true },
    { workDir, workspaceRoot: folder, contextFile: join(privateFolder, 'context.json'), privateFolder },
    { label: 'Phase 4 (Search)', jsonPath: 'phases[3].generator.options.sandbox', planFile: 'apps/shop/phases.json' },
  );
  process.stdout.write('PREPARED\n');
} catch (error) {
  process.stdout.write(`${(error as Error).message}\n`);
}
