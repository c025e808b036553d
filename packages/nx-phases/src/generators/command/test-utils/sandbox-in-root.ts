/**
 * A child process for the sandbox tests, run inside a root the spec builds with bubblewrap (so that a system folder
 * can be something it is not on this host): `sandbox-in-root.ts` runs nx-phases:command with "sandbox": true in a
 * fresh snapshot, the command `echo ran > out.txt`, which then appends `/lib32: <what ls says>`, and prints what out.txt holds, or the error's message.
 */
import { mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import commandGenerator from '../generator';
import type { CommandGeneratorSchema } from '../schema';
import { FsTree } from '../../../runtime/nx-tree';
import { SANDBOX_PHASE, SANDBOX_WHERE } from '../../../test-utils/sandbox-harness';

async function main(): Promise<void> {
  const snapshot = mkdtempSync(join(tmpdir(), 'snapshot-'));
  const workspace = mkdtempSync(join(tmpdir(), 'workspace-'));
  mkdirSync(join(workspace, 'node_modules'));
  await commandGenerator(new FsTree(snapshot, false), {
    command: 'echo ran > out.txt && echo "/lib32: $(ls -d /lib32 2>/dev/null || echo absent)" >> out.txt',
    sandbox: true,
    plan: { name: 'shop', appRoot: 'apps/shop' },
    phase: SANDBOX_PHASE,
    dependencies: [],
    context: [],
    runtime: { where: SANDBOX_WHERE, workspaceRoot: workspace, progress: () => undefined } as unknown as CommandGeneratorSchema['runtime'],
  });
  process.stdout.write(readFileSync(join(snapshot, 'out.txt'), 'utf8'));
}

main().catch((error: Error) => process.stdout.write(`${error.message}\n`));
