/** The environment variable that sets the budget (USD) of one run; it overrides the plan and nx.json. */
export const MAX_COST_ENV = 'NX_PHASES_MAX_COST_USD';

/** Set by the plugin's `preTasksExecution` hook from the `maxCostUsd` plugin option in nx.json. */
export const WORKSPACE_MAX_COST_ENV = 'NX_PHASES_WORKSPACE_MAX_COST_USD';

/** The budget that applies to a phase's LLM calls, and where it was set (for messages). */
export interface MaxCost {
  usd: number;
  source: string;
}

/**
 * The run's budget: `NX_PHASES_MAX_COST_USD` when set (one run's choice wins), else the lower of the plan's
 * `maxCostUsd` and nx.json's; undefined when none is set. A malformed variable throws `MaxCostError`.
 */
export function resolveMaxCostUsd(planMaxCostUsd: number | undefined, planFile: string, env: NodeJS.ProcessEnv = process.env): MaxCost | undefined {
  const forRun = parseMaxCost(env[MAX_COST_ENV], MAX_COST_ENV);
  if (forRun !== undefined) return { usd: forRun, source: MAX_COST_ENV };
  const workspace = parseMaxCost(env[WORKSPACE_MAX_COST_ENV], 'maxCostUsd in nx.json (plugins[nx-phases].options)');
  const candidates: MaxCost[] = [];
  if (planMaxCostUsd !== undefined) candidates.push({ usd: planMaxCostUsd, source: `maxCostUsd in ${planFile}` });
  if (workspace !== undefined) candidates.push({ usd: workspace, source: 'maxCostUsd in nx.json' });
  return candidates.sort((a, b) => a.usd - b.usd)[0];
}

/** A decimal number of dollars, 0 or more ("2.50", "5"); empty or unset = undefined; anything else throws. */
function parseMaxCost(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (!/^\d+(\.\d+)?$/.test(text) || !Number.isFinite(Number(text))) throw new MaxCostError(name, value);
  return Number(text);
}

/** A budget variable that is not a number of dollars. */
export class MaxCostError extends Error {
  constructor(name: string, value: string) {
    super(
      `${name}=${JSON.stringify(value)} is not a budget. Give a number of US dollars, 0 or more, without a currency sign ` +
        `(e.g. ${MAX_COST_ENV}=2.50), or unset it.`,
    );
    this.name = 'MaxCostError';
  }
}
