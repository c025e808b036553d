import { ENV_SETTINGS, EnvSettingError, readNumberSetting, settingProblem, settingText } from '../env-settings';

/** The environment variable that sets the budget (USD) of one run; it overrides the plan and nx.json. */
export const MAX_COST_ENV = ENV_SETTINGS.maxCostUsd.name;

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
  const forRun = readNumberSetting(env, ENV_SETTINGS.maxCostUsd, MaxCostError);
  if (forRun !== undefined) return { usd: forRun, source: MAX_COST_ENV };
  const workspace = workspaceMaxCost(env);
  const candidates: MaxCost[] = [];
  if (planMaxCostUsd !== undefined) candidates.push({ usd: planMaxCostUsd, source: `maxCostUsd in ${planFile}` });
  if (workspace !== undefined) candidates.push({ usd: workspace, source: 'maxCostUsd in nx.json' });
  return candidates.sort((a, b) => a.usd - b.usd)[0];
}

/** The nx.json budget as the pre-tasks hook handed it on (`String(number)`, so `1e-7` is allowed here). */
function workspaceMaxCost(env: NodeJS.ProcessEnv): number | undefined {
  const text = settingText(env, WORKSPACE_MAX_COST_ENV);
  if (text === undefined) return undefined;
  const usd = Number(text);
  if (Number.isFinite(usd) && usd >= 0) return usd;
  throw new MaxCostError(settingProblem({ name: WORKSPACE_MAX_COST_ENV, allowed: 'the maxCostUsd of nx.json as the nx-phases hook sets it (do not set it yourself)' }, text, 'a budget'));
}

/** A budget variable that is not a number of dollars. */
export class MaxCostError extends EnvSettingError {
  override name = 'MaxCostError';
}
