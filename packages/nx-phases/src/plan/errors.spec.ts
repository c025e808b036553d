import { formatProblems, PlanError, ROOT_PATH } from './errors';

const first = { file: 'apps/shop/phases.json', path: 'phases[0].name', message: 'Must not be empty.', hint: 'Write a non-empty value or remove the entry.' };
const second = { file: 'apps/shop/phases.json', path: ROOT_PATH, message: 'The plan has no phases.', hint: 'Add at least one phase.' };

describe('PlanError and formatProblems (what a user reads for a bad plan)', () => {
  it('prints a count line, then one "<file>: <path>: <message> Fix: <hint>" line per problem', () => {
    expect(formatProblems([first])).toBe(
      'Invalid phase plan: 1 problem found.\napps/shop/phases.json: phases[0].name: Must not be empty. Fix: Write a non-empty value or remove the entry.',
    );
    expect(formatProblems([first, second])).toBe(
      [
        'Invalid phase plan: 2 problems found.',
        'apps/shop/phases.json: phases[0].name: Must not be empty. Fix: Write a non-empty value or remove the entry.',
        'apps/shop/phases.json: (root): The plan has no phases. Fix: Add at least one phase.',
      ].join('\n'),
    );
    expect(formatProblems([])).toBe('Invalid phase plan: 0 problems found.');
  });

  it('is a named error carrying every problem and the printed text', () => {
    const error = new PlanError([first, second]);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('PlanError');
    expect(error.problems).toEqual([first, second]);
    expect(error.message.split('\n')).toEqual([
      'Invalid phase plan: 2 problems found.',
      'apps/shop/phases.json: phases[0].name: Must not be empty. Fix: Write a non-empty value or remove the entry.',
      'apps/shop/phases.json: (root): The plan has no phases. Fix: Add at least one phase.',
    ]);
    expect(String(error)).toMatch(/^PlanError: Invalid phase plan: 2 problems found\.\n/);
  });
});
