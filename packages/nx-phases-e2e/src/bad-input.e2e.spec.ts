import { listFiles } from './utils/folder-snapshot';
import { stackTraceLines } from './utils/nx-output';
import { writePlan } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { withOutput } from './utils/with-output';
import { writeFileSync } from 'node:fs';

/** Section 5 "Bad input": an invalid plan fails the graph with a clear error (file + JSON path), writes nothing. */
describe('an invalid plan', () => {
  const scenario = createScenario('bad-input');
  const { workspace } = scenario;

  beforeAll(() => {
    writePlan(workspace.root, 'apps/bad', {
      name: 'Bad Name',
      generator: { use: 'nx-phases:command', options: { command: scenario.command() } },
      phases: [
        { number: 1, name: 'Setup', plannedFiles: ['src/app.ts'] },
        { number: 2, name: 'Orphan', dependencies: [1, 9], plannedFiles: ['src/orphan.ts'] },
      ],
    });
    workspace.commitAll('bad plan');
  });

  it('makes nx show projects fail, naming the file and the JSON paths, without a stack trace', () => {
    const run = workspace.nx(['show', 'projects'], { allowFailure: true });
    withOutput(run, () => {
      expect(run.status).not.toBe(0);
      expect(run.output).toContain('apps/bad/phases.json');
      // Both problems, each with its JSON path: the bad plan name and the unknown dependency 9.
      expect(run.output).toMatch(/\bname\b.*Bad Name/);
      expect(run.output).toMatch(/phases\[1\]\.dependencies\[1\].*\b9\b/);
      expect(stackTraceLines(run.output)).toEqual([]);
    });
  });

  it('makes nx run-many -t phase fail the same way and writes nothing', () => {
    const run = workspace.runPhases(['--parallel=3'], { allowFailure: true });
    withOutput(run, () => {
      expect(run.status).not.toBe(0);
      expect(run.output).toContain('apps/bad/phases.json');
      expect(stackTraceLines(run.output)).toEqual([]);
    });
    expect(scenario.calls()).toEqual([]);
    expect(listFiles(workspace.path('apps/bad'))).toEqual(['phases.json']);
  });

  it('reports a JSON syntax error with the file and position, without a stack trace', () => {
    writeFileSync(workspace.path('apps/bad/phases.json'), '{ "name": "broken", "phases": [ { "number": 1, "name": "A", } ] }\n');
    const run = workspace.nx(['show', 'projects'], { allowFailure: true });
    withOutput(run, () => {
      expect(run.status).not.toBe(0);
      expect(run.output).toContain('apps/bad/phases.json');
      expect(run.output).toMatch(/line \d+|:\d+:\d+|position \d+/i);
      expect(stackTraceLines(run.output)).toEqual([]);
    });
    expect(listFiles(workspace.path('apps/bad'))).toEqual(['phases.json']);
  });
});
