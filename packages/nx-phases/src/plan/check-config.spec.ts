import { effectiveCheck, parsePlan, PlanError } from './index';

function plan(extra: Record<string, unknown>, phaseExtra: Record<string, unknown>[] = [{}, {}]): string {
  return JSON.stringify({ name: 'shop', ...extra, phases: phaseExtra.map((p, i) => ({ number: i + 1, name: `P${i + 1}`, plannedFiles: [`f${i}.ts`], ...p })) });
}

function problems(text: string): Array<{ path: string; message: string; hint?: string }> {
  try {
    parsePlan(text, 'apps/shop/phases.json');
  } catch (error) {
    if (error instanceof PlanError) return error.problems.map(({ path, message, hint }) => ({ path, message, hint }));
    throw error;
  }
  return [];
}

describe('check in the plan', () => {
  it('applies the plan-wide check with defaults, a phase override, and a phase opt-out', () => {
    const parsed = parsePlan(
      plan({ check: { command: 'npx tsc --noEmit' } }, [{}, { check: { command: 'npm test', maxRepairs: 0, timeoutSeconds: 30 } }, { check: false }]),
      'phases.json',
    );
    expect(parsed.phases.map((p) => effectiveCheck(parsed, p))).toEqual([
      { command: 'npx tsc --noEmit', timeoutSeconds: 300, maxRepairs: 2 },
      { command: 'npm test', timeoutSeconds: 30, maxRepairs: 0 },
      undefined,
    ]);
  });

  it('has no check when the plan declares none', () => {
    const parsed = parsePlan(plan({}), 'phases.json');
    expect(parsed.phases.map((p) => effectiveCheck(parsed, p))).toEqual([undefined, undefined]);
  });

  it('rejects unknown keys with a did-you-mean, bad values and check: true, naming the JSON path', () => {
    const found = problems(plan({ check: { command: 'x', maxRepair: 1, timeoutSeconds: 0 } }, [{ check: true }, { check: { comand: 'y' } }]));
    const paths = found.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['check.maxRepair', 'check.timeoutSeconds', 'phases[0].check', 'phases[1].check.comand']));
    expect(found.find((p) => p.path === 'check.maxRepair')?.hint).toContain('maxRepairs');
    expect(found.find((p) => p.path === 'phases[1].check.comand')?.hint).toContain('command');
  });

  it('reads the check sandbox: true is with network, an object may take it away (an empty one keeps it); absent and false are none', () => {
    const parsed = parsePlan(
      plan({ check: { command: 'npm test', sandbox: true } }, [
        {},
        { check: { command: 'npm test', sandbox: { network: false } } },
        { check: { command: 'npm test', sandbox: false } },
        { check: { command: 'npm test', sandbox: {} } },
      ]),
      'phases.json',
    );
    expect(parsed.phases.map((p) => effectiveCheck(parsed, p)?.sandbox)).toEqual([{ network: true }, { network: false }, undefined, { network: true }]);
  });

  it('rejects a bad check sandbox, naming the JSON path, with a did-you-mean for an unknown key', () => {
    const found = problems(plan({ check: { command: 'x', sandbox: 'yes' } }, [{ check: { command: 'y', sandbox: { netwrok: false } } }, { check: { command: 'y', sandbox: { network: 'no' } } }]));
    expect(found.map((p) => p.path)).toEqual(expect.arrayContaining(['check.sandbox', 'phases[0].check.sandbox.netwrok', 'phases[1].check.sandbox.network']));
    expect(found.find((p) => p.path === 'phases[0].check.sandbox.netwrok')?.hint).toContain('network');
  });
});
