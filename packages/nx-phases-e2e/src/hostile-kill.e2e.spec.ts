import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFolder } from './utils/folder-snapshot';
import { killProcessTree, startNx } from './utils/nx-async';
import { writePlan } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { guardSentinel, listFolder } from './utils/sentinel';
import { waitFor } from './utils/wait-for';
import { withOutput } from './utils/with-output';

/** Staged temp files and record staging folders of a commit (what a SIGKILL in the middle leaves). */
const LITTER = /(?:\.nx-phases-\d+-[0-9a-f]{8}\.tmp|^files\.staging-\d+-[0-9a-f]{8})$/;
const FILES = 2000;

/**
 * Issue 12 item 9: SIGKILL in the middle of a 2,000-file commit leaves staged temp files and a record staging
 * folder; the next run, a cache hit that never calls the executor, leaves no `.tmp` or `staging` entry behind.
 */
describe('a phase killed during its commit, then repaired by a cache hit', () => {
  const { workspace: ws } = createScenario('hostile-kill');
  const app = ws.path('apps/killed');
  guardSentinel('hostile-kill');

  /** Every litter entry below the app root (dot files included). */
  const appLitter = () =>
    listFolder(app)
      .map((line) => line.split(' ')[0])
      .filter((path) => LITTER.test(path.split('/').pop()!));
  /** This plan's snapshot folders in the OS temp folder. */
  const snapshots = () => readdirSync(tmpdir()).filter((name) => name.startsWith('nx-phases-killed.'));

  beforeAll(() => {
    const plannedFiles = Array.from({ length: FILES }, (_, i) => `src/part-${Math.floor(i / 50)}/file-${i}.txt`);
    const script = `i=0; while [ $i -lt ${FILES} ]; do d=src/part-$((i/50)); mkdir -p $d; echo "file $i" > $d/file-$i.txt; i=$((i+1)); done`;
    writePlan(ws.root, 'apps/killed', { name: 'killed', phases: [{ number: 1, name: 'Many', plannedFiles, generator: { use: 'nx-phases:command', options: { command: script } } }] });
    ws.commitAll('plan');
  });

  it('leaves no .tmp or staging entry after the cache-hit repair, and the app matches the first run', async () => {
    ws.runPhases();
    const committed = readFolder(join(app, 'src'));
    expect(committed.size).toBe(FILES);

    let killedWithLitter = false;
    for (let attempt = 1; attempt <= 8 && !killedWithLitter; attempt++) {
      const running = startNx(ws, ['run', 'killed-1-many:phase', '--skip-nx-cache', '--outputStyle=static'], { allowFailure: true });
      let exited = false;
      void running.done.then(() => (exited = true));
      const staging = () => (existsSync(join(app, '.phases', '1')) ? readdirSync(join(app, '.phases', '1')).some((name) => name.startsWith('files.staging-')) : false);
      const caught = await waitFor('the commit to start staging, or the run to end', () => (staging() ? true : exited ? false : undefined), 180_000);
      if (caught) killProcessTree(running.pid);
      await running.done;
      killedWithLitter = caught && appLitter().length > 0;
    }
    expect(killedWithLitter).toBe(true);

    const repair = ws.runPhases();
    withOutput(repair, () => {
      expect(repair.outcomes.get('killed-1-many')).toBe('cache');
      expect(appLitter()).toEqual([]);
      expect(snapshots()).toEqual([]);
    });
    expect(readFolder(join(app, 'src'))).toEqual(committed);
  });
});
