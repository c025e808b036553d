import { existsSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { CommandFailedError, runCommand } from '../../generators/command/run-command';
import { prepareSandbox, type OptionLocation, type SandboxSettings } from '../../generators/command/sandbox';
import type { PhaseCheck } from '../../plan/types';
import { parseDiagnostics, type CheckDiagnostic } from './diagnostics';

/** How much of a check's output is kept for the failure message and the repair. */
const OUTPUT_LIMIT_BYTES = 64 * 1024;

/** Where and how to run a phase's check. */
export interface CheckRun {
  check: PhaseCheck;
  snapshotRoot: string;
  workspaceRoot: string;
  /** `Phase 3 "Auth"`, for messages. */
  label: string;
  /** Run inside the command sandbox with these settings (the check or the phase's command generator asked for one), set at `where`. */
  sandbox?: { settings: SandboxSettings; where: OptionLocation };
  signal?: AbortSignal;
}

/** What one run of a check gave. */
export interface CheckResult {
  passed: boolean;
  /** True when the check was stopped at its time limit. */
  timedOut: boolean;
  durationMs: number;
  /** The end of its stdout and stderr (at most 64 KB). */
  output: string;
  diagnostics: CheckDiagnostic[];
  /** Why it failed, in one line (exit code, signal, time limit). */
  reason?: string;
}

/**
 * Runs the check command with `/bin/sh -c` in the snapshot, in its own process group, stopped (group killed) at
 * `timeoutSeconds`. The workspace's node_modules is linked into the snapshot for the run and removed afterwards.
 */
export async function runCheck(run: CheckRun): Promise<CheckResult> {
  const started = Date.now();
  const link = linkNodeModules(run.snapshotRoot, run.workspaceRoot);
  const privateFolder = mkdtempSync(join(tmpdir(), 'nx-phases-check-'));
  const sink = new OutputSink(OUTPUT_LIMIT_BYTES);
  try {
    const contextFile = join(privateFolder, 'check.json');
    writeFileSync(contextFile, '{}\n');
    const sandbox = run.sandbox
      ? prepareSandbox(run.sandbox.settings, { workDir: run.snapshotRoot, workspaceRoot: run.workspaceRoot, contextFile, privateFolder }, { ...run.sandbox.where, label: `${run.label} check` })
      : undefined;
    await runCommand({
      command: run.check.command,
      wrapper: sandbox?.argv,
      fds: sandbox?.fds,
      cwd: run.snapshotRoot,
      env: { ...process.env, ...sandbox?.env, PATH: `${join(run.workspaceRoot, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`, FORCE_COLOR: '0' },
      input: '',
      timeoutMs: run.check.timeoutSeconds * 1000,
      label: `${run.label} check`,
      signal: run.signal,
      killGraceMs: 1000,
      stdout: sink,
      stderr: sink,
    });
    return { passed: true, timedOut: false, durationMs: Date.now() - started, output: sink.text(), diagnostics: [] };
  } catch (error) {
    if (!(error instanceof CommandFailedError)) throw error;
    const output = sink.text();
    const timedOut = /timed out after/.test(error.message);
    const outcome = /the command (exited with code -?\d+|was killed by \w+|was cancelled)/.exec(error.message);
    const reason = timedOut ? `stopped at its time limit of ${run.check.timeoutSeconds} s` : outcome ? outcome[0].replace('the command ', '') : 'it failed';
    return { passed: false, timedOut, durationMs: Date.now() - started, output, diagnostics: parseDiagnostics(output, run.snapshotRoot), reason };
  } finally {
    if (link) unlinkSync(link);
    rmSync(privateFolder, { recursive: true, force: true });
  }
}

/** Links `<snapshot>/node_modules` to the workspace's, unless the snapshot has one; returns the link to remove. */
function linkNodeModules(snapshotRoot: string, workspaceRoot: string): string | undefined {
  const target = join(workspaceRoot, 'node_modules');
  const link = join(snapshotRoot, 'node_modules');
  if (!existsSync(target) || existsSync(link)) return undefined;
  symlinkSync(target, link, 'dir');
  return link;
}

/** Collects a process's output, keeping the first `limit` bytes. */
class OutputSink extends Writable {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    if (this.size < this.limit) {
      const kept = chunk.subarray(0, this.limit - this.size);
      this.chunks.push(Buffer.from(kept));
      this.size += kept.length;
    }
    callback();
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
