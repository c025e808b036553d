import { listFiles } from './utils/folder-snapshot';
import { stackTraceLines } from './utils/nx-output';
import { writePlan } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { withOutput } from './utils/with-output';
import { writeFileSync } from 'node:fs';

/**
 * Section 5 "Bad input": an invalid plan stays local. Every Nx command keeps working and so does every other plan;
 * the invalid plan's own targets fail with a clear error (file + JSON path, no stack trace), and it writes nothing.
 */
describe('an invalid plan next to a valid one', () => {
  const scenario = createScenario('bad-input');
  const { workspace } = scenario;

  beforeAll(() => {
    const generator = { use: 'nx-phases:command', options: { command: scenario.command() } };
    writePlan(workspace.root, 'apps/bad', {
      name: 'Bad Name',
      generator,
      phases: [
        { number: 1, name: 'Setup', plannedFiles: ['src/app.ts'] },
        { number: 2, name: 'Orphan', dependencies: [1, 9], plannedFiles: ['src/orphan.ts'] },
      ],
    });
    writePlan(workspace.root, 'apps/good', {
      name: 'good',
      generator,
      phases: [
        { number: 11, name: 'Setup', plannedFiles: ['src/app.ts'] },
        { number: 12, name: 'Page', dependencies: [11], plannedFiles: ['src/page.ts'] },
      ],
    });
    workspace.commitAll('bad and good plans');
  });

  it('leaves nx show projects working, listing the valid plan and the invalid plan project', () => {
    const shown = workspace.nx(['show', 'projects']);
    withOutput(shown, () => {
      // The error is printed once per graph computation (here with the daemon off; with it on it goes to the daemon log).
      expect(shown.output.split('apps/bad/phases.json cannot be loaded; its targets fail until it is fixed').length - 1).toBe(1);
      expect(shown.output).toContain('apps/bad/phases.json: phases[1].dependencies[1]: Phase 2 (Orphan) depends on phase 9');
    });
    const projects = workspace.showProjects();
    expect(projects).toEqual(expect.arrayContaining(['good', 'good-11-setup', 'good-12-page', 'apps-bad']));
    expect(projects.filter((name) => name.startsWith('apps-bad-'))).toEqual([]);
  });

  it('runs the valid plan with nx run-many -t phase, and fails the invalid one naming the file and the JSON paths', () => {
    const run = workspace.runPhases(['--parallel=3'], { allowFailure: true });
    withOutput(run, () => {
      expect(run.status).not.toBe(0);
      expect(run.output).toContain('nx-phases: apps/bad/phases.json cannot be loaded, so none of its phases can run.');
      expect(run.output).toContain(
        'apps/bad/phases.json: name: "Bad Name" does not match the pattern ^[a-z][a-z0-9-]*$. Fix: Use lowercase letters, digits and hyphens, starting with a letter, e.g. "my-shop".',
      );
      expect(run.output).toContain(
        'apps/bad/phases.json: phases[1].dependencies[1]: Phase 2 (Orphan) depends on phase 9, which does not exist. Fix: Remove 9 from the dependencies or add a phase with "number": 9.',
      );
      expect(stackTraceLines(run.output)).toEqual([]);
    });
    expect(scenario.calls()).toEqual([11, 12]);
    expect(listFiles(workspace.path('apps/bad'))).toEqual(['phases.json']);
    expect(listFiles(workspace.path('apps/good'))).toEqual(expect.arrayContaining(['src/app.ts', 'src/page.ts']));
  });

  it('reports a JSON syntax error with the file and position when the plan runs, without a stack trace', () => {
    writeFileSync(workspace.path('apps/bad/phases.json'), '{ "name": "broken", "phases": [ { "number": 1, "name": "A", } ] }\n');
    // Its name cannot be read, so its project is named after its app root.
    expect(workspace.showProjects()).toEqual(['apps-bad', 'good', 'good-11-setup', 'good-12-page']);
    const run = workspace.nx(['run', 'apps-bad:phase'], { allowFailure: true });
    withOutput(run, () => {
      expect(run.status).not.toBe(0);
      expect(run.output).toMatch(/apps\/bad\/phases\.json: \(root\): Invalid JSON at line 1, column \d+/);
      expect(stackTraceLines(run.output)).toEqual([]);
    });
    expect(listFiles(workspace.path('apps/bad'))).toEqual(['phases.json']);
  });
});
