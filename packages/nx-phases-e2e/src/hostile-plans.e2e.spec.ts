import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startNx } from './utils/nx-async';
import { failedTasks, stackTraceLines } from './utils/nx-output';
import { writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { guardSentinel, listFolder } from './utils/sentinel';
import { waitFor } from './utils/wait-for';
import { withOutput } from './utils/with-output';

const command = (script: string, extra: Record<string, unknown> = {}) => ({ use: 'nx-phases:command', options: { command: script, ...extra } });
const quote = (path: string) => JSON.stringify(path);

/**
 * Issue 12, hostile plans and generator output: concurrent plans `x` and `x-1`, forged log lines, names too long
 * to commit, NFC/NFD twins, 5,000 unplanned files, execute bits through a cache restore, a sandboxed command
 * writing outside, and project-name collisions. Each case asserts with a before/after listing that a sentinel
 * folder outside the workspace is unchanged; after the whole file it is byte-identical to its starting state.
 */
describe('hostile plans and generator output', () => {
  const sentinelOf = guardSentinel('hostile-plans');

  it("plans x and x-1 run at once without x's stale-snapshot sweep removing x-1's live snapshot", async () => {
    const { workspace: ws, state } = createScenario('hostile-x-and-x-1');
    const markers = join(state.tempRoot, 'markers', 'hostile-x-and-x-1');
    mkdirSync(markers, { recursive: true });
    const [started, release] = [join(markers, 'started'), join(markers, 'release')];
    // x-1's phase number is no possible pid: the old sweep of plan x, phase 1 read it as a dead owner's pid.
    writePlan(ws.root, 'apps/x-1', {
      name: 'x-1',
      phases: [
        {
          number: 5_000_000,
          name: 'Wait',
          plannedFiles: ['out.txt'],
          generator: command(`touch ${quote(started)}; while [ ! -f ${quote(release)} ]; do sleep 0.05; done; ls > out.txt`, { timeoutMs: 180_000 }),
        },
      ],
    });
    writePlan(ws.root, 'apps/x', { name: 'x', phases: [{ number: 1, name: 'Go', plannedFiles: ['out.txt'], generator: command(`touch ${quote(release)}; echo go > out.txt`) }] });
    ws.commitAll('plans x and x-1');
    const waiting = startNx(ws, ['run', 'x-1-5000000-wait:phase', '--outputStyle=static'], { allowFailure: true });
    await waitFor('x-1 phase 5000000 to start its command', () => (existsSync(started) ? true : undefined), 180_000);
    const go = ws.nx(['run', 'x-1-go:phase', '--outputStyle=static']);
    const waited = await waiting.done;
    withOutput(waited, () => {
      expect(waited.status).toBe(0);
      expect(readFileSync(ws.path('apps/x-1/out.txt'), 'utf8')).toBe('out.txt\n');
    });
    expect(go.status).toBe(0);
  });

  it('prints a written file name with a line break escaped, so it cannot forge a log line', () => {
    const { workspace: ws } = createScenario('hostile-newline');
    const forged = 'evil\n NX   Successfully ran target phase for 99 projects';
    writePlan(ws.root, 'apps/nl', {
      name: 'nl',
      phases: [{ number: 1, name: 'Forge', plannedFiles: ['ok.txt'], generator: command(`echo ok > ok.txt; printf x > "$(printf 'evil\\n NX   Successfully ran target phase for 99 projects')"`) }],
    });
    ws.commitAll('plan');
    const run = ws.runPhases([], { allowFailure: true });
    withOutput(run, () => {
      expect(run.status).not.toBe(0);
      expect(run.output).toContain(`${JSON.stringify(forged)} is not in its plannedFiles`);
      expect(run.output.split('\n').filter((line) => /^\s*NX\s+Successfully ran target phase for 99 projects/.test(line))).toEqual([]);
    });
  });

  it.each([
    [
      'a 244-character file name',
      { name: 'long', phases: [{ number: 1, name: 'Long', plannedFiles: [`${'a'.repeat(240)}.txt`] }] },
      ['phases[0].plannedFiles[0]', 'has a 244-byte name', 'Shorten that file or folder name to at most 223 bytes'],
    ],
    [
      'NFC and NFD spellings of one file in two concurrent phases',
      { name: 'nfc', phases: [{ number: 1, name: 'A', plannedFiles: ['caf\u00e9.txt'] }, { number: 2, name: 'B', plannedFiles: ['cafe\u0301.txt'] }] },
      ['phases[1].plannedFiles[0]', 'differs only in Unicode normalization (NFC/NFD)', 'macOS treats both as the same file'],
    ],
    [
      'two plans inferring the same project name',
      [
        { name: 'x', phases: [{ number: 1, name: '2 b', plannedFiles: ['a.txt'] }] },
        { name: 'x-1', phases: [{ number: 1, name: 'A', plannedFiles: ['a.txt'] }, { number: 2, name: 'b', plannedFiles: ['b.txt'] }] },
      ],
      ['becomes the Nx project "x-1-2-b", and so does', 'phase 1 "2 b" (phases[0] in apps/p0/phases.json)', 'phase 2 "b" (phases[1] in apps/p1/phases.json)', 'Fix: rename one of them'],
    ],
  ])('rejects %s at load, naming the file, the JSON path and the fix, and runs nothing of that plan', (_, plans, expected) => {
    const { workspace: ws } = createScenario(`hostile-plan-${_.split(' ').slice(0, 3).join('-').replace(/\W+/g, '')}`);
    const documents = ([] as PlanDocument[]).concat(plans as PlanDocument | PlanDocument[]);
    documents.forEach((plan, i) => writePlan(ws.root, `apps/p${i}`, plan));
    ws.commitAll('plans');
    const run = ws.runPhases([], { allowFailure: true });
    withOutput(run, () => {
      expect(run.status).not.toBe(0);
      for (const text of expected) expect(run.output).toContain(text);
      expect(stackTraceLines(run.output)).toEqual([]);
    });
    // The rejected plan is the last one (a name clash rejects the plan that comes second); any other plan still runs.
    expect(existsSync(ws.path(`apps/p${documents.length - 1}/.phases`))).toBe(false);
  });

  it("rejects a plan nested in another plan's app root at load, leaving the inner plan's records untouched", () => {
    const { workspace: ws } = createScenario('hostile-nested-plans');
    writePlan(ws.root, 'apps/x/inner', { name: 'inner', phases: [{ number: 1, name: 'Inner', plannedFiles: ['in.txt'], generator: command('echo inner > in.txt') }] });
    ws.commitAll('inner plan');
    const first = ws.runPhases();
    expect(first.status).toBe(0);
    const records = listFolder(ws.path('apps/x/inner/.phases'));
    expect(records).toContainEqual(expect.stringMatching(/^1\/manifest\.json file /));
    // What outer would write over inner's manifest: a record claiming the sentinel's victim file, for inner to delete.
    const victim = relative(ws.path('apps/x/inner'), sentinelOf().victim);
    const forged = JSON.stringify({ plan: 'inner', phase: { number: 1, name: 'Inner' }, files: { [victim]: '0'.repeat(64) } });
    writePlan(ws.root, 'apps/x', {
      name: 'outer',
      phases: [{ number: 1, name: 'Overwrite', plannedFiles: ['inner/.phases/1/manifest.json'], generator: command(`mkdir -p inner/.phases/1 && printf '%s' ${quote(forged)} > inner/.phases/1/manifest.json`) }],
    });
    ws.commitAll('outer plan around inner');
    expect(ws.showProjects()).toEqual(['inner', 'outer']);
    const run = ws.runPhases(['--skip-nx-cache'], { allowFailure: true });
    withOutput(run, () => {
      expect(run.status).not.toBe(0);
      expect(run.output).toContain(
        "apps/x/phases.json: (root): This plan's app root apps/x contains apps/x/inner, the app root of apps/x/inner/phases.json: plans cannot nest",
      );
      expect(run.output).toContain(
        "apps/x/inner/phases.json: (root): This plan's app root apps/x/inner lies inside apps/x, the app root of apps/x/phases.json: plans cannot nest",
      );
      expect(run.output).toContain(
        'apps/x/phases.json: phases[0].plannedFiles[0]: "inner/.phases/1/manifest.json" points into a .phases/ folder, where nx-phases keeps per-phase records (reserved at any depth). Fix: Choose a path without a .phases folder in it.',
      );
      expect(stackTraceLines(run.output)).toEqual([]);
    });
    expect(listFolder(ws.path('apps/x/inner/.phases'))).toEqual(records);
    expect(existsSync(ws.path('apps/x/.phases'))).toBe(false);
  });

  it('summarises 5,000 unplanned files as a count and the first 20', () => {
    const { workspace: ws } = createScenario('hostile-flood');
    writePlan(ws.root, 'apps/flood', {
      name: 'flood',
      phases: [{ number: 1, name: 'Flood', plannedFiles: ['ok.txt'], generator: command('echo ok > ok.txt; mkdir junk; i=0; while [ $i -lt 5000 ]; do : > junk/$i.txt; i=$((i+1)); done') }],
    });
    ws.commitAll('plan');
    const run = ws.runPhases([], { allowFailure: true });
    withOutput(run, () => {
      expect(run.status).not.toBe(0);
      expect(run.output).toContain('  - … and 4,980 more (5,000 in total)');
      const listed = run.output.split('\n').filter((line) => line.includes('is not in its plannedFiles'));
      expect(listed.length).toBeGreaterThan(0);
      expect(listed.length).toBeLessThanOrEqual(40); // 20, printed once or twice by Nx
    });
    expect(existsSync(ws.path('apps/flood/junk'))).toBe(false);
  });

  it('keeps the execute bit on commit and gets it back from a cache restore', () => {
    const { workspace: ws } = createScenario('hostile-exec');
    writePlan(ws.root, 'apps/exe', {
      name: 'exe',
      phases: [{ number: 1, name: 'Tool', plannedFiles: ['bin/tool'], generator: command(`mkdir -p bin && printf '#!/bin/sh\\necho tool works\\n' > bin/tool && chmod 755 bin/tool`) }],
    });
    ws.commitAll('plan');
    ws.runPhases();
    const tool = ws.path('apps/exe/bin/tool');
    expect(statSync(tool).mode & 0o111).not.toBe(0);
    expect(JSON.parse(readFileSync(ws.path('apps/exe/.phases/1/manifest.json'), 'utf8')).executable).toEqual(['bin/tool']);
    rmSync(ws.path('apps/exe/bin'), { recursive: true });
    rmSync(ws.path('apps/exe/.phases'), { recursive: true });
    const restored = ws.runPhases();
    expect(restored.outcomes.get('exe-1-tool')).toBe('cache');
    expect(statSync(tool).mode & 0o111).not.toBe(0);
    expect(execFileSync(tool, { encoding: 'utf8' })).toBe('tool works\n');
  });

  it('a sandboxed command that writes by absolute path, through ../ or into the live app changes nothing outside its snapshot', () => {
    const { workspace: ws } = createScenario('hostile-sandbox');
    const live = ws.path('apps/sb/live.txt');
    const attempts = [`echo planted > ${quote(join(sentinelOf().root, 'planted.txt'))}`, 'echo planted > ../planted-by-sandbox.txt', `echo hacked > ${quote(live)}`];
    writePlan(ws.root, 'apps/sb', {
      name: 'sb',
      context: ['live.txt'],
      phases: attempts.map((attempt, i) => ({ number: i + 1, name: `Try ${i + 1}`, plannedFiles: [`out-${i + 1}.txt`], generator: command(`${attempt} && echo done > out-${i + 1}.txt`, { sandbox: true }) })),
    });
    writeFileSync(live, 'the live app file\n');
    ws.commitAll('plan');
    const run = ws.runPhases(['--parallel=3'], { allowFailure: true });
    withOutput(run, () => {
      expect(run.status).not.toBe(0);
      // Neither the sentinel nor the workspace is mounted in the sandbox: writes there find no folder.
      expect(run.output.match(/cannot create [^\n]*: Directory nonexistent/g)?.length).toBeGreaterThanOrEqual(2);
      expect(run.ran.sort()).toEqual(['sb-1-try-1', 'sb-2-try-2', 'sb-3-try-3']);
      expect(failedTasks(run.output).sort()).toEqual(['sb-1-try-1:phase', 'sb-3-try-3:phase']);
    });
    // ../ from the snapshot is the sandbox's private /tmp: the write succeeded there and vanished with it.
    expect(readFileSync(live, 'utf8')).toBe('the live app file\n');
    expect(existsSync(join(tmpdir(), 'planted-by-sandbox.txt'))).toBe(false);
    expect(readFileSync(ws.path('apps/sb/out-2.txt'), 'utf8')).toBe('done\n');
    expect(readdirSync(ws.path('apps/sb/.phases'))).toEqual(['2']);
  });
});
