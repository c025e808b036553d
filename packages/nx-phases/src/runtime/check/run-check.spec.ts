import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck } from './run-check';

/** A process's state letter from /proc (Z = a zombie: dead, not yet reaped), or `gone`. */
function processState(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').charAt(0);
  } catch {
    return 'gone';
  }
}

describe('runCheck (real processes, real folders)', () => {
  let workspace: string;
  let snapshot: string;

  beforeEach(() => {
    workspace = mkdtempSync(join(tmpdir(), 'check-ws-'));
    snapshot = mkdtempSync(join(tmpdir(), 'check-snap-'));
    mkdirSync(join(workspace, 'node_modules', '.bin'), { recursive: true });
    writeFileSync(join(workspace, 'node_modules', 'marker.txt'), 'installed\n');
    writeFileSync(join(workspace, 'node_modules', '.bin', 'my-checker'), '#!/bin/sh\necho "src/a.ts(2,7): error TS2322: bad type"\nexit 2\n', { mode: 0o755 });
  });

  afterEach(() => {
    rmSync(workspace, { recursive: true, force: true });
    rmSync(snapshot, { recursive: true, force: true });
  });

  const check = (command: string, timeoutSeconds = 60) => ({ command, timeoutSeconds, maxRepairs: 2 });

  it('passes on exit 0, sees the workspace node_modules in the snapshot, and leaves no link behind', async () => {
    const result = await runCheck({ check: check('cat node_modules/marker.txt > seen.txt'), snapshotRoot: snapshot, workspaceRoot: workspace, label: 'Phase 1' });
    expect(result).toMatchObject({ passed: true, timedOut: false, diagnostics: [] });
    expect(readFileSync(join(snapshot, 'seen.txt'), 'utf8')).toBe('installed\n');
    expect(existsSync(join(snapshot, 'node_modules'))).toBe(false);
  });

  it('fails on a non-zero exit with the diagnostics, running tools from node_modules/.bin', async () => {
    const result = await runCheck({ check: check('my-checker'), snapshotRoot: snapshot, workspaceRoot: workspace, label: 'Phase 1' });
    expect(result.passed).toBe(false);
    expect(result.timedOut).toBe(false);
    expect(result.reason).toBe('exited with code 2');
    expect(result.diagnostics).toEqual([{ file: 'src/a.ts', line: 2, column: 7, message: 'error TS2322: bad type' }]);
  });

  it('stops a hanging check and its children at the time limit', async () => {
    const pidFile = join(snapshot, 'child.pid');
    const result = await runCheck({ check: check(`sleep 600 & echo $! > ${pidFile}; wait`, 1), snapshotRoot: snapshot, workspaceRoot: workspace, label: 'Phase 1' });
    expect(result).toMatchObject({ passed: false, timedOut: true, reason: 'stopped at its time limit of 1 s' });
    const child = Number(readFileSync(pidFile, 'utf8'));
    expect(processState(child)).toMatch(/^(gone|Z)$/);
  });
});
