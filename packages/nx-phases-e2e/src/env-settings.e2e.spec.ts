import { existsSync } from 'node:fs';
import { parseTaskOutcomes, stackTraceLines } from './utils/nx-output';
import { writePlan } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { withOutput } from './utils/with-output';

/**
 * A bad NX_PHASES_* value fails a real `nx run-many -t phase` at its start (the plugin's preTasksExecution hook):
 * one line naming the variable, the value and what is allowed (a did-you-mean for a near choice), no stack trace,
 * no phase run, nothing written. Never a silent fall-back to the default.
 */
describe('environment settings through real nx', () => {
  const scenario = createScenario('env-settings');
  const { workspace } = scenario;

  beforeAll(() => {
    writePlan(workspace.root, 'apps/env', {
      name: 'env',
      generator: { use: 'nx-phases:command', options: { command: scenario.command() } },
      phases: [
        { number: 1, name: 'Setup', plannedFiles: ['src/app.ts'] },
        { number: 2, name: 'Page', dependencies: [1], plannedFiles: ['src/page.ts'] },
      ],
    });
    workspace.commitAll('env plan');
  });

  it.each([
    ['NX_PHASES_MAX_OUTPUT_MB', '-1', 'NX_PHASES_MAX_OUTPUT_MB="-1" is not a number of megabytes. Give a number of megabytes greater than 0'],
    ['NX_PHASES_CLAIM_WAIT_TIMEOUT', '1e999', 'NX_PHASES_CLAIM_WAIT_TIMEOUT="1e999" is not a number of seconds. Give a number of seconds greater than 0'],
    ['NX_PHASES_MAX_COST_USD', 'abc', 'NX_PHASES_MAX_COST_USD="abc" is not a budget. Give a number of US dollars, 0 or more'],
    ['NX_PHASES_PROGRESS', 'titels', 'NX_PHASES_PROGRESS="titels" is not a progress view. Did you mean "titles"? Give one of auto, fancy, plain, titles, none, or unset it.'],
    ['NX_PHASES_STORE', 'fiel', 'NX_PHASES_STORE="fiel" is not a store nx-phases knows. Did you mean "file"?'],
    ['NX_PHASES_STORE_FALLBACK', 'fil', 'NX_PHASES_STORE_FALLBACK="fil" is not a fallback nx-phases knows. Did you mean "file"?'],
  ])('%s=%j fails the run before any phase, in one line, with nothing written', (name, value, line) => {
    const run = workspace.runPhases([], { allowFailure: true, env: { [name]: value } });
    withOutput(run, () => {
      expect(run.status).not.toBe(0);
      const lines = run.output.split('\n').filter((l) => l.includes(`${name}=`));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(line);
      expect(stackTraceLines(run.output)).toEqual([]);
      expect([...parseTaskOutcomes(run.output).keys()]).toEqual([]);
      expect(existsSync(workspace.path('apps/env/src'))).toBe(false);
      expect(scenario.calls()).toEqual([]);
    });
  });

  it('a value with spaces around it is taken as written, and the run succeeds', () => {
    const run = workspace.runPhases([], { env: { NX_PHASES_CLAIM_WAIT_TIMEOUT: ' 5 ', NX_PHASES_PROGRESS: ' plain ' } });
    withOutput(run, () => expect(scenario.calls()).toEqual([1, 2]));
  });
});
