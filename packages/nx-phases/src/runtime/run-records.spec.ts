import { readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { TempWorkspace } from '../test-utils/temp-workspace';
import { currentRunId, currentRunParallel, readPhaseRuns, recordPhaseRun, removeRunRecords, RUN_ID_ENV } from './run-records';

describe('run records', () => {
  let ws: TempWorkspace;
  const saved = process.env[RUN_ID_ENV];
  beforeEach(() => {
    ws = new TempWorkspace();
    process.env[RUN_ID_ENV] = 'run-1';
  });
  afterEach(() => {
    if (saved === undefined) delete process.env[RUN_ID_ENV];
    else process.env[RUN_ID_ENV] = saved;
    ws.dispose();
  });

  it('reads back what phases of one plan recorded in this run, ignoring malformed records', () => {
    recordPhaseRun(ws.root, 'apps/shop/phases.json', 1, { startedAt: 10, endedAt: 20, success: true });
    recordPhaseRun(ws.root, 'apps/shop/phases.json', 2, { startedAt: 10, endedAt: 30, success: false });
    recordPhaseRun(ws.root, 'apps/other/phases.json', 3, { startedAt: 10, endedAt: 30, success: true });
    const runs = readPhaseRuns(ws.root, 'run-1', 'apps/shop/phases.json');
    expect([...runs]).toEqual([[1, { startedAt: 10, endedAt: 20, success: true }], [2, { startedAt: 10, endedAt: 30, success: false }]]);
    const [file] = readdirSync(join(ws.root, '.nx/workspace-data/nx-phases/runs/run-1')).filter((n: string) => n.endsWith('-1.json'));
    ws.write(`.nx/workspace-data/nx-phases/runs/run-1/${file}`, { startedAt: 30, endedAt: 10, success: true });
    expect(readPhaseRuns(ws.root, 'run-1', 'apps/shop/phases.json').has(1)).toBe(false);
    expect(readPhaseRuns(ws.root, '../escape', 'apps/shop/phases.json').size).toBe(0);
  });

  it('keeps a failure\'s usage, waits and blocked phases, and drops a record whose extra fields are malformed', () => {
    const usage = { calls: 7, retries: 6, promptTokens: 0, completionTokens: 0, waitMs: 4200 };
    const failure = { startedAt: 10, endedAt: 90, success: false, usage, waits: [{ kind: 'retry' as const, fromMs: 1, toMs: 5 }], blocked: [{ number: 2, project: 'shop-2' }] };
    recordPhaseRun(ws.root, 'apps/shop/phases.json', 1, failure);
    expect(readPhaseRuns(ws.root, 'run-1', 'apps/shop/phases.json').get(1)).toEqual(failure);
    const [file] = readdirSync(join(ws.root, '.nx/workspace-data/nx-phases/runs/run-1'));
    const path = `.nx/workspace-data/nx-phases/runs/run-1/${file}`;
    for (const bad of [
      { usage: { ...usage, calls: -1 } },
      { usage: { calls: 1 } },
      { waits: [{ kind: 'sleep', fromMs: 0, toMs: 1 }] },
      { waits: [{ kind: 'retry', fromMs: 5, toMs: 1 }] },
      { blocked: [{ number: 0, project: 'x' }] },
      { blocked: [{ number: 2, project: 'a\u001b[31m' }] },
      { blocked: [{ number: 2 }] },
      { blocked: 'all' },
    ]) {
      ws.write(path, { ...failure, ...bad });
      expect([JSON.stringify(bad), readPhaseRuns(ws.root, 'run-1', 'apps/shop/phases.json').has(1)]).toEqual([JSON.stringify(bad), false]);
    }
  });

  it('keeps a failed check\'s attempts, segments and diagnostics, and drops a record whose check fields are malformed', () => {
    const checks = [{ attempt: 1, passed: false, durationMs: 5, diagnostics: 1 }];
    const failure = { startedAt: 10, endedAt: 90, success: false, checks, segments: [{ kind: 'check' as const, attempt: 1, fromMs: 1, toMs: 6 }], diagnostics: ['src/a.ts:1:1 error'] };
    recordPhaseRun(ws.root, 'apps/shop/phases.json', 1, failure);
    expect(readPhaseRuns(ws.root, 'run-1', 'apps/shop/phases.json').get(1)).toEqual(failure);
    const [file] = readdirSync(join(ws.root, '.nx/workspace-data/nx-phases/runs/run-1'));
    const path = `.nx/workspace-data/nx-phases/runs/run-1/${file}`;
    for (const bad of [
      { success: true },
      { checks: [{ ...checks[0], passed: true }] },
      { segments: undefined },
      { segments: [{ kind: 'check', attempt: 1, fromMs: 6, toMs: 1 }] },
      { diagnostics: [42] },
      { diagnostics: ['x'.repeat(5000)] },
      { diagnostics: undefined },
    ]) {
      ws.write(path, { ...failure, ...bad });
      expect([JSON.stringify(bad), readPhaseRuns(ws.root, 'run-1', 'apps/shop/phases.json').has(1)]).toEqual([JSON.stringify(bad), false]);
    }
  });

  it('records nothing outside a run or for an id that is not a plain name', () => {
    delete process.env[RUN_ID_ENV];
    recordPhaseRun(ws.root, 'apps/shop/phases.json', 1, { startedAt: 10, endedAt: 20, success: true });
    expect(ws.exists('.nx/workspace-data/nx-phases/runs')).toBe(false);
    expect(currentRunId({ [RUN_ID_ENV]: '../../etc' })).toBeUndefined();
    expect(currentRunParallel({ NX_PHASES_RUN_PARALLEL: '0' })).toBeUndefined();
  });

  it('removes this run\'s records and run folders left for over a day, keeping other recent runs', () => {
    recordPhaseRun(ws.root, 'apps/shop/phases.json', 1, { startedAt: 10, endedAt: 20, success: true });
    for (const id of ['run-2', 'run-old']) {
      process.env[RUN_ID_ENV] = id;
      recordPhaseRun(ws.root, 'apps/shop/phases.json', 1, { startedAt: 10, endedAt: 20, success: true });
    }
    const old = join(ws.root, '.nx/workspace-data/nx-phases/runs/run-old');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    utimesSync(old, twoDaysAgo, twoDaysAgo);
    removeRunRecords(ws.root, 'run-1');
    expect(ws.exists('.nx/workspace-data/nx-phases/runs/run-1')).toBe(false);
    expect(ws.exists('.nx/workspace-data/nx-phases/runs/run-old')).toBe(false);
    expect(ws.exists('.nx/workspace-data/nx-phases/runs/run-2')).toBe(true);
  });
});
