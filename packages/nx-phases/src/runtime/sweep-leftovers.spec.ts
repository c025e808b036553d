import { logger, type PostTasksExecutionContext, type TaskResult } from '@nx/devkit';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postTasksExecution } from '../plugin/post-tasks-execution';
import { TempWorkspace } from '../test-utils/temp-workspace';
import { snapshotFolderPrefix } from './snapshot-folders';
import { sweepLeftovers } from './sweep-leftovers';

const PLAN = {
  name: 'sweep',
  phases: [
    { number: 1, name: 'Setup', plannedFiles: ['src/a.ts', 'b.ts'] },
    { number: 2, name: 'Next', dependencies: [1], plannedFiles: ['lib/deep/c.ts'] },
  ],
};

/** Leftovers of killed phase processes go away after any run, also when the phases were all cache hits. */
describe('sweepLeftovers', () => {
  let ws: TempWorkspace;
  let dead: number;
  const list = (path: string) => readdirSync(join(ws.root, path)).sort();
  const snapshots: string[] = [];

  beforeEach(() => {
    ws = new TempWorkspace();
    dead = spawnSync('true').pid!;
    ws.write('apps/app/phases.json', PLAN);
    ws.write(`apps/app/src/.a.ts.nx-phases-${dead}-0badf00d.tmp`, 'half');
    ws.write(`apps/app/.b.ts.nx-phases-${dead}-0badf00d.tmp`, 'half');
    ws.write(`apps/app/lib/deep/.c.ts.nx-phases-${process.pid}-0badf00d.tmp`, 'a live commit');
    ws.write(`apps/app/.phases/2/files.staging-${dead}-0badf00d/lib/deep/c.ts`, 'half');
    ws.write(`apps/app/.phases/2/.manifest.json.nx-phases-${dead}-0badf00d.tmp`, 'half');
    ws.write('apps/app/.phases/2/manifest.json', '{}');
    ws.write(`elsewhere/.a.ts.nx-phases-${dead}-0badf00d.tmp`, 'outside the app');
    snapshots.push(join(tmpdir(), `${snapshotFolderPrefix('sweep', 2, dead)}abcdef`), join(tmpdir(), `${snapshotFolderPrefix('sweep-1', 2, dead)}abcdef`));
    for (const folder of snapshots) mkdirSync(folder, { recursive: true });
  });
  afterEach(() => {
    for (const folder of snapshots.splice(0)) rmSync(folder, { recursive: true, force: true });
    ws.dispose();
  });

  const expectSwept = () => {
    expect(list('apps/app/src')).toEqual([]);
    expect(list('apps/app').filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(list('apps/app/lib/deep')).toEqual([`.c.ts.nx-phases-${process.pid}-0badf00d.tmp`]);
    expect(list('apps/app/.phases/2')).toEqual(['manifest.json']);
    expect(list('elsewhere')).toEqual([`.a.ts.nx-phases-${dead}-0badf00d.tmp`]);
    expect(snapshots.map((folder) => existsSync(folder))).toEqual([false, true]);
  };

  it('removes dead processes\' temp files, staging folders and snapshots of the plan, and nothing else', () => {
    sweepLeftovers(ws.root, ['apps/app']);
    expectSwept();
  });

  it('never follows a symlinked folder and never throws', () => {
    rmSync(join(ws.root, 'apps/app/src'), { recursive: true });
    symlinkSync(join(ws.root, 'elsewhere'), join(ws.root, 'apps/app/src'));
    expect(() => sweepLeftovers(ws.root, ['apps/app', 'apps/missing'])).not.toThrow();
    expect(list('elsewhere')).toEqual([`.a.ts.nx-phases-${dead}-0badf00d.tmp`]);
  });

  it('runs from the postTasksExecution hook after a run of cache hits', async () => {
    jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const cacheHit = (n: number) =>
      ({
        task: { id: `sweep-${n}:phase`, target: { project: `sweep-${n}`, target: 'phase' }, overrides: {}, outputs: [], projectRoot: `apps/app/.phases/${n}`, startTime: 1, endTime: 2, cache: true },
        status: 'local-cache',
        code: 0,
      }) as TaskResult;
    const context = {
      id: 'run', workspaceRoot: ws.root, nxJsonConfiguration: {}, argv: ['nx', 'run-many', '-t', 'phase'],
      startTime: 0, endTime: 3, taskResults: { 'sweep-1:phase': cacheHit(1), 'sweep-2:phase': cacheHit(2) },
    } as unknown as PostTasksExecutionContext;
    await postTasksExecution!({}, context);
    expectSwept();
    jest.restoreAllMocks();
  });
});
