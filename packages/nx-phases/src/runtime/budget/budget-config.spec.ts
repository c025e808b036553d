import { MAX_COST_ENV, MaxCostError, resolveMaxCostUsd, WORKSPACE_MAX_COST_ENV } from './budget-config';

describe('resolveMaxCostUsd', () => {
  const plan = 'apps/shop/phases.json';

  it('is undefined when nothing sets a budget', () => {
    expect(resolveMaxCostUsd(undefined, plan, {})).toBeUndefined();
    expect(resolveMaxCostUsd(undefined, plan, { [MAX_COST_ENV]: ' ' })).toBeUndefined();
  });

  it('takes the lower of the plan and nx.json, and the variable for one run over both', () => {
    expect(resolveMaxCostUsd(3, plan, { [WORKSPACE_MAX_COST_ENV]: '5' })).toEqual({ usd: 3, source: `maxCostUsd in ${plan}` });
    expect(resolveMaxCostUsd(7, plan, { [WORKSPACE_MAX_COST_ENV]: '5' })).toEqual({ usd: 5, source: 'maxCostUsd in nx.json' });
    expect(resolveMaxCostUsd(3, plan, { [WORKSPACE_MAX_COST_ENV]: '5', [MAX_COST_ENV]: '9.50' })).toEqual({ usd: 9.5, source: MAX_COST_ENV });
    expect(resolveMaxCostUsd(undefined, plan, { [MAX_COST_ENV]: '0' })).toEqual({ usd: 0, source: MAX_COST_ENV });
  });

  it.each(['$5', 'five', '-1', '1e3', '2,50', 'Infinity', '0x10'])('refuses NX_PHASES_MAX_COST_USD=%j with the fix', (value) => {
    const resolve = () => resolveMaxCostUsd(3, plan, { [MAX_COST_ENV]: value });
    expect(resolve).toThrow(MaxCostError);
    expect(resolve).toThrow(`${MAX_COST_ENV}=${JSON.stringify(value)} is not a budget. Give a number of US dollars, 0 or more`);
  });
});
