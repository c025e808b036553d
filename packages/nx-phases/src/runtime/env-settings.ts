import { closestName } from '../plan/did-you-mean';

/**
 * Every environment variable a user may set for nx-phases, parsed in one place with one rule set: the value is
 * trimmed; unset or blank means the default; anything else that is not allowed throws `EnvSettingError` (one line:
 * the variable, the value, what is allowed, a did-you-mean for a near choice), never a silent fall-back.
 */

/** A variable's documentation: the README's table of environment settings is checked against this list. */
export interface EnvSettingDoc {
  name: string;
  meaning: string;
  allowed: string;
  default: string;
  /** How it is parsed: a plain decimal number, one of `choices`, or the store (a URL; see store-setting.ts). */
  kind: 'number' | 'choice' | 'store';
  /** What a value must be, for the error: `NAME="x" is not <what>`. */
  what: string;
  /** A number setting that allows 0 (otherwise it must be greater than 0). */
  zeroAllowed?: boolean;
  /** The largest value a number setting allows, if it has a limit. */
  max?: number;
  /** The values an enumerated setting takes (for the did-you-mean). */
  choices?: readonly string[];
}

/** The environment variables users set (the plugin also sets NX_PHASES_RUN_ID, NX_PHASES_RUN_PARALLEL and NX_PHASES_WORKSPACE_MAX_COST_USD for its tasks). */
export const ENV_SETTINGS = {
  maxOutputMb: {
    name: 'NX_PHASES_MAX_OUTPUT_MB',
    meaning: "how much of one phase's output is kept",
    allowed: 'a number of megabytes greater than 0 and at most 128 (e.g. 8; at least 64 KB is kept)',
    default: '8',
    kind: 'number',
    what: 'a number of megabytes',
    // Nx keeps a task's output in one string and died at ~600 MB of it; a batch worker holds several phases' outputs.
    max: 128,
  },
  claimWaitTimeout: {
    name: 'NX_PHASES_CLAIM_WAIT_TIMEOUT',
    meaning: 'how long a phase waits for another process that holds its claim',
    allowed: 'a number of seconds greater than 0 (e.g. 1800)',
    default: '1800',
    kind: 'number',
    what: 'a number of seconds',
  },
  maxCostUsd: {
    name: 'NX_PHASES_MAX_COST_USD',
    meaning: "this run's budget for LLM calls; overrides the plan and nx.json",
    allowed: 'a number of US dollars, 0 or more, without a currency sign (e.g. NX_PHASES_MAX_COST_USD=2.50)',
    default: 'the lower of the plan and nx.json maxCostUsd; none: no budget',
    kind: 'number',
    what: 'a budget',
    zeroAllowed: true,
  },
  progress: {
    name: 'NX_PHASES_PROGRESS',
    meaning: "how a phase's steps are shown",
    allowed: 'one of auto, fancy, plain, titles, none',
    default: 'auto',
    kind: 'choice',
    what: 'a progress view',
    choices: ['auto', 'fancy', 'plain', 'titles', 'none'],
  },
  store: {
    name: 'NX_PHASES_STORE',
    meaning: 'where limits, claims, budgets and shared results are coordinated; overrides nx.json "store"',
    allowed: '"file" or a Redis/Valkey URL such as redis://127.0.0.1:6379 (rediss:// for TLS)',
    default: 'nx.json "store", else file',
    kind: 'store',
    what: 'a store nx-phases knows',
  },
  storeFallback: {
    name: 'NX_PHASES_STORE_FALLBACK',
    meaning: 'what to do when the Redis store is unreachable at the start of a run',
    allowed: '"file" (run on this workspace\'s files)',
    default: 'nx.json "storeFallback", else fail',
    kind: 'choice',
    what: 'a fallback nx-phases knows',
    choices: ['file'],
  },
} as const satisfies Record<string, EnvSettingDoc>;

/** The NX_PHASES_ variables the plugin sets for its own tasks and commands (never a user setting). */
export const SET_BY_THE_PLUGIN = [
  'NX_PHASES_RUN_ID',
  'NX_PHASES_RUN_PARALLEL',
  'NX_PHASES_WORKSPACE_MAX_COST_USD',
  'NX_PHASES_CONTEXT_FILE',
  'NX_PHASES_PHASE_NUMBER',
  'NX_PHASES_PLAN_NAME',
  'NX_PHASES_REPAIR_ATTEMPT',
  'NX_PHASES_CHECK_DIAGNOSTICS',
] as const;

/** A variable whose value is not allowed; the message is one line with the fix (see `settingProblem`). */
export class EnvSettingError extends Error {
  override name = 'EnvSettingError';
}

/** `NAME="value" is not <what>. Did you mean "x"? Give <allowed>, or unset it.` */
export function settingProblem(setting: Pick<EnvSettingDoc, 'name' | 'allowed'>, value: string, what: string, suggestion?: string): string {
  const hint = suggestion ? `Did you mean "${suggestion}"? ` : '';
  return `${setting.name}=${JSON.stringify(value)} is not ${what}. ${hint}Give ${setting.allowed}, or unset it.`;
}

/** The variable's trimmed value, or undefined when it is unset or blank (blank means the default). */
export function settingText(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const text = env[name]?.trim();
  return text === undefined || text === '' ? undefined : text;
}

/** A plain decimal number ("8", "0.5"): no sign, exponent, hex, unit or currency. */
const DECIMAL = /^\d+(\.\d+)?$/;

/**
 * The variable as a plain decimal number (undefined when unset or blank), greater than 0 unless the setting allows
 * 0, and at most its `max`; anything else (`abc`, `-1`, `1e999`, `0x10`, `10m`, past the max) throws `error`
 * (default EnvSettingError).
 */
export function readNumberSetting(env: NodeJS.ProcessEnv, setting: EnvSettingDoc, error: new (message: string) => EnvSettingError = EnvSettingError): number | undefined {
  const text = settingText(env, setting.name);
  if (text === undefined) return undefined;
  const value = DECIMAL.test(text) ? Number(text) : NaN;
  const raw = env[setting.name] ?? text;
  if (setting.max !== undefined && value > setting.max) {
    throw new error(`${setting.name}=${JSON.stringify(raw)} is more than the maximum, ${setting.max}. Give ${setting.allowed}, or unset it.`);
  }
  if (Number.isFinite(value) && (value > 0 || setting.zeroAllowed)) return value;
  throw new error(settingProblem(setting, raw, setting.what));
}

/** The variable as one of the setting's choices (undefined when unset or blank); anything else throws with a did-you-mean. */
export function readChoiceSetting<T extends string>(env: NodeJS.ProcessEnv, setting: EnvSettingDoc & { choices: readonly T[] }): T | undefined {
  const text = settingText(env, setting.name);
  if (text === undefined) return undefined;
  if ((setting.choices as readonly string[]).includes(text)) return text as T;
  throw new EnvSettingError(settingProblem(setting, env[setting.name] ?? text, setting.what, closestName(text, [...setting.choices])));
}

/**
 * Checks every number and choice setting at once (the run's start calls it, so a bad value fails the run before any
 * phase starts, with one line); the store settings are checked where the store is chosen (store-setting.ts).
 */
export function checkEnvSettings(env: NodeJS.ProcessEnv): void {
  checkSettingNames(env);
  for (const setting of Object.values(ENV_SETTINGS) as EnvSettingDoc[]) {
    if (setting.kind === 'choice') readChoiceSetting(env, { ...setting, choices: setting.choices ?? [] });
    if (setting.kind === 'number') readNumberSetting(env, setting);
  }
}

/**
 * A set NX_PHASES_ variable that is no setting but close to one (the budget's name without its `_USD`, say)
 * is a typo that would otherwise be ignored: it throws with the did-you-mean. Names far from every setting (your
 * own variables) are left alone.
 */
function checkSettingNames(env: NodeJS.ProcessEnv): void {
  const settings = (Object.values(ENV_SETTINGS) as EnvSettingDoc[]).map((setting) => setting.name);
  const known = new Set<string>([...settings, ...SET_BY_THE_PLUGIN]);
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith('NX_PHASES_') || known.has(name) || env[name] === undefined) continue;
    const suggestion = closestName(name, settings);
    if (suggestion) throw new EnvSettingError(`${name} is not an nx-phases setting. Did you mean ${suggestion}? Rename it, or unset it.`);
  }
}
