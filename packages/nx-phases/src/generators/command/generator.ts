import type { Tree } from '@nx/devkit';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { createPhaseTempFolder } from '../../runtime/snapshot-folders';
import type { PhaseGeneratorOptions, PhaseRepair } from '../../runtime/phase-generator';
import { listFiles, writeContextFile, type CommandContext } from './context-file';
import { commandSettings } from './options';
import { runCommand } from './run-command';
import { prepareSandbox } from './sandbox';
import type { CommandGeneratorSchema } from './schema';

/**
 * nx-phases:command: runs a shell command (any program or CLI coding agent) in the phase's
 * snapshot folder, optionally in a bubblewrap sandbox (`sandbox`). The files it creates or modifies there are
 * the phase's output.
 */
export default async function commandGenerator(tree: Tree, options: CommandGeneratorSchema): Promise<void> {
  assertPhaseOptions(options);
  const { command, timeoutMs, sandbox: sandboxed, sandboxOption } = commandSettings(options, options.phase, options.runtime?.where);
  const cwd = resolve(tree.root);
  const context: CommandContext = {
    plan: { name: options.plan.name, ...(options.plan.merge ? { merge: options.plan.merge } : {}) },
    phase: options.phase,
    dependencies: options.dependencies ?? [],
    files: listFiles(cwd),
    ...(options.runtime?.repair ? { repair: options.runtime.repair } : {}),
  };
  const json = `${JSON.stringify(context, null, 2)}\n`;
  // Outside the snapshot, named so that the stale-snapshot sweep removes it if this process is killed.
  const privateFolder = createPhaseTempFolder(options.plan.name, options.phase.number);
  try {
    const contextFile = writeContextFile(privateFolder, json);
    const workspaceRoot = options.runtime?.workspaceRoot ?? process.cwd();
    const sandbox = sandboxed ? prepareSandbox(sandboxed, { workDir: cwd, workspaceRoot, contextFile, privateFolder }, sandboxOption) : undefined;
    options.runtime?.progress(`Running the command${sandbox ? ' in a sandbox' : ''} (timeout ${timeoutMs} ms)`);
    await runCommand({
      command,
      wrapper: sandbox?.argv,
      fds: sandbox?.fds,
      cwd,
      input: json,
      timeoutMs,
      label: `Phase ${options.phase.number} "${options.phase.name}"`,
      signal: options.runtime?.signal,
      env: {
        ...process.env,
        ...sandbox?.env,
        NX_PHASES_CONTEXT_FILE: contextFile,
        NX_PHASES_PHASE_NUMBER: String(options.phase.number),
        NX_PHASES_PLAN_NAME: options.plan.name,
        ...repairEnv(options.runtime?.repair),
      },
    });
  } finally {
    rmSync(privateFolder, { recursive: true, force: true });
  }
}

/** A repair's attempt number and diagnostics (at most 16 KB; the whole text is in the context file's `repair`). */
function repairEnv(repair: PhaseRepair | undefined): Record<string, string> {
  if (!repair) return {};
  return { NX_PHASES_REPAIR_ATTEMPT: String(repair.attempt), NX_PHASES_CHECK_DIAGNOSTICS: repair.diagnostics.slice(0, 16 * 1024) };
}

function assertPhaseOptions(options: Partial<PhaseGeneratorOptions>): asserts options is PhaseGeneratorOptions {
  if (!options.phase || !options.plan?.name) {
    throw new Error(
      'nx-phases:command is a phase generator: it needs the `plan` and `phase` options the nx-phases:phase executor passes. ' +
        'Set it as a phase\'s (or the plan\'s) generator in phases.json and run `nx run <plan>-<number>-<name>:phase`.',
    );
  }
}
