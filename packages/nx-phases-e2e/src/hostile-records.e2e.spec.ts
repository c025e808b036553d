import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { E2eWorkspace } from './utils/e2e-workspace';
import { editPlan, writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { guardSentinel } from './utils/sentinel';
import { withOutput } from './utils/with-output';

const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');
const command = (script: string) => ({ use: 'nx-phases:command', options: { command: script } });

/** Phase 1 writes two files, phase 2 derives one from them: enough for a record, a dependency and an obsolete file. */
function hostilePlan(name: string): PlanDocument {
  return {
    name,
    phases: [
      { number: 1, name: 'Base', features: ['v1'], plannedFiles: ['src/a.txt', 'src/b.txt'], generator: command('mkdir -p src && echo a > src/a.txt && echo b > src/b.txt') },
      { number: 2, name: 'Next', features: ['v1'], dependencies: [1], plannedFiles: ['src/c.txt'], generator: command('cat src/a.txt src/b.txt > src/c.txt') },
    ],
  };
}

/**
 * Issue 12, hostile records: manifests, records and `.phases` folders that break the path rule, on disk and
 * arriving through an Nx cache restore. Each case asserts with a before/after listing that a sentinel folder
 * outside the workspace is unchanged; after the whole file it is byte-identical to its starting state.
 */
describe('hostile records (tampered manifests and .phases folders)', () => {
  const app = 'apps/h';
  const sentinelOf = guardSentinel('hostile-records');

  /** A workspace with the plan committed and run once (phase 1 and 2 committed and cached). */
  function committedScenario(name: string): E2eWorkspace {
    const { workspace } = createScenario(name);
    writePlan(workspace.root, app, hostilePlan('h'));
    workspace.commitAll('plan');
    workspace.runPhases(['--parallel=2']);
    return workspace;
  }
  const manifestPath = (ws: E2eWorkspace, n: number) => ws.path(app, '.phases', String(n), 'manifest.json');
  const tamper = (path: string, edit: (manifest: { files: Record<string, string> }) => void) => {
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    edit(manifest);
    writeFileSync(path, JSON.stringify(manifest, null, 2));
  };
  /**
   * Runs phase 2 alone, so its dependency's record is read as it is on disk: in a full run Nx would first restore
   * phase 1 from its cache, which puts the untampered record back.
   */
  const runPhase2Alone = (ws: E2eWorkspace) =>
    ws.nx(['run', 'h-2-next:phase', '--excludeTaskDependencies', '--outputStyle=static'], { allowFailure: true });
  /** Edits a phase's features so that it (and what depends on it) runs again. */
  const rerun = (ws: E2eWorkspace, phase: number) => editPlan(ws.root, app, (plan) => (plan.phases[phase - 1].features = ['v2']));

  it.each([
    ['a ".." key', 'dotdot', (ws: E2eWorkspace) => relative(ws.path(app), sentinelOf().victim), /contains a "\.\." segment/],
    ['an absolute key', 'absolute', () => sentinelOf().victim, /is an absolute path/],
  ])('a previous manifest with %s naming a file outside fails the phase and deletes nothing', (_, slug, key, reason) => {
    const ws = committedScenario(`hostile-obsolete-${slug}`);
    tamper(manifestPath(ws, 1), (manifest) => (manifest.files[key(ws)] = sha256(sentinelOf().victimContent)));
    rerun(ws, 1);
    const run = ws.runPhases(['--parallel=2'], { allowFailure: true });
    withOutput(run, () => {
      expect(run.status).not.toBe(0);
      expect(run.output).toContain(`${app}/.phases/1/manifest.json is not a valid nx-phases manifest`);
      expect(run.output).toMatch(reason);
      expect(run.output).toContain(`Fix: delete the folder ${app}/.phases/1`);
    });
    expect(readFileSync(sentinelOf().victim, 'utf8')).toBe(sentinelOf().victimContent);
  });

  it('a dependency manifest with a ".." key and a matching record plants nothing outside the snapshot', () => {
    const ws = committedScenario('hostile-overlay');
    const planted = `planted-${process.pid}-${Date.now()}.txt`;
    tamper(manifestPath(ws, 1), (manifest) => (manifest.files[`../${planted}`] = sha256('planted')));
    writeFileSync(ws.path(app, '.phases', '1', planted), 'planted');
    rerun(ws, 2);
    const run = runPhase2Alone(ws);
    withOutput(run, () => {
      expect(run.status).not.toBe(0);
      expect(run.output).toContain(`${app}/.phases/1/manifest.json is not a valid nx-phases manifest`);
      expect(run.output).not.toMatch(/Snapshot \(\d+ files from 1 phases\)/);
    });
    expect(existsSync(join(tmpdir(), planted))).toBe(false);
  });

  it('a dependency record reached through a symlinked folder is refused, nothing read through it', () => {
    const ws = committedScenario('hostile-record-symlink');
    const record = ws.path(app, '.phases', '1', 'files', 'src');
    const copy = join(sentinelOf().root, 'nested');
    rmSync(record, { recursive: true });
    symlinkSync(copy, record);
    rerun(ws, 2);
    const run = runPhase2Alone(ws);
    withOutput(run, () => {
      expect(run.status).not.toBe(0);
      expect(run.output).toContain('".phases/1/files/src" is a symlink');
    });
  });

  it('a symlinked .phases folder: nothing is written through it', () => {
    const { workspace: ws } = createScenario('hostile-phases-symlink');
    writePlan(ws.root, app, hostilePlan('h'));
    symlinkSync(sentinelOf().records, ws.path(app, '.phases'));
    ws.commitAll('plan');
    const run = ws.runPhases(['--parallel=2'], { allowFailure: true });
    withOutput(run, () => {
      expect(run.status).not.toBe(0);
      expect(run.output).toContain('".phases" is a symlink, so ".phases/1/manifest.json" could land outside the app root');
    });
    expect(existsSync(ws.path(app, 'src', 'a.txt'))).toBe(false);
  });

  it('a symlinked .phases/<n> folder: nothing in its target is deleted or replaced', () => {
    const { workspace: ws } = createScenario('hostile-record-folder-symlink');
    writePlan(ws.root, app, hostilePlan('h'));
    mkdirSync(ws.path(app, '.phases'), { recursive: true });
    symlinkSync(sentinelOf().records, ws.path(app, '.phases', '1'));
    ws.commitAll('plan');
    const run = ws.runPhases(['--parallel=2'], { allowFailure: true });
    withOutput(run, () => {
      expect(run.status).not.toBe(0);
      expect(run.output).toContain('".phases/1" is a symlink');
    });
  });

  describe('a tampered manifest arriving through an Nx cache restore', () => {
    let ws: E2eWorkspace;
    beforeAll(() => {
      ws = committedScenario('hostile-cache');
      const hash = ws.lastRunTasks().get('h-1-base:phase')!.hash;
      const cached = cachedOutput(ws, hash, `${app}/.phases/1/manifest.json`);
      tamper(cached, (manifest) => (manifest.files[relative(ws.path(app), sentinelOf().victim)] = sha256(sentinelOf().victimContent)));
      rmSync(ws.path(app, 'src'), { recursive: true });
      rmSync(ws.path(app, '.phases'), { recursive: true });
    });

    it('is refused by the dependent phase that reads it, with the file named', () => {
      rerun(ws, 2);
      const run = ws.runPhases(['--parallel=2'], { allowFailure: true });
      withOutput(run, () => {
        expect(run.outcomes.get('h-1-base')).toBe('cache');
        expect(run.status).not.toBe(0);
        expect(run.output).toContain(`${app}/.phases/1/manifest.json is not a valid nx-phases manifest`);
      });
      expect(JSON.parse(readFileSync(manifestPath(ws, 1), 'utf8')).files).toHaveProperty([relative(ws.path(app), sentinelOf().victim)]);
    });

    it('is refused by its own phase when it runs again, which deletes nothing', () => {
      rerun(ws, 1);
      const run = ws.runPhases(['--parallel=2'], { allowFailure: true });
      withOutput(run, () => {
        expect(run.status).not.toBe(0);
        expect(run.output).toContain(`${app}/.phases/1/manifest.json is not a valid nx-phases manifest`);
      });
      expect(readFileSync(sentinelOf().victim, 'utf8')).toBe(sentinelOf().victimContent);
    });
  });
});

/** A file of a task's entry in the workspace's local Nx cache (`~/.nx/<id>/cache/<hash>/<path>`). */
function cachedOutput(ws: E2eWorkspace, hash: string, path: string): string {
  const shared = join(ws.home, '.nx');
  const found = readdirSync(shared)
    .map((id) => join(shared, id, 'cache', hash, path))
    .filter((candidate) => existsSync(candidate));
  if (found.length !== 1) throw new Error(`Expected one cached ${path} for task hash ${hash} under ${shared}, found ${found.length}.`);
  return found[0];
}
