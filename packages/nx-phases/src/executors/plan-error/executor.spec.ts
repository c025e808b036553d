import planErrorExecutor from './executor';

describe('nx-phases:plan-error executor', () => {
  it('fails, printing the plan file and its problems', async () => {
    const errors: string[] = [];
    jest.spyOn(console, 'error').mockImplementation((...args) => void errors.push(args.join(' ')));
    const message = 'Invalid phase plan: 1 problem found.\napps/bad/phases.json: name: "Bad Name" does not match the pattern ^[a-z][a-z0-9-]*$. Fix: Use lowercase letters.';
    await expect(planErrorExecutor({ plan: 'apps/bad/phases.json', message })).resolves.toEqual({ success: false });
    expect(errors).toEqual([`nx-phases: apps/bad/phases.json cannot be loaded, so none of its phases can run.\n${message}`]);
    jest.restoreAllMocks();
  });
});
