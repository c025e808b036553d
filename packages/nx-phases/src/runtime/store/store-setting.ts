import { closestName } from '../../plan/did-you-mean';
import { ENV_SETTINGS, EnvSettingError, settingProblem, settingText, type EnvSettingDoc } from '../env-settings';

/** The environment variable that chooses the coordination store: `file` (the default) or a `redis://` / `rediss://` URL. */
export const STORE_ENV = ENV_SETTINGS.store.name;
/** The environment variable that allows falling back to the file store when Redis is unreachable at the start: `file`. */
export const STORE_FALLBACK_ENV = ENV_SETTINGS.storeFallback.name;

/** Where limits, claims and shared results are coordinated: this workspace's files, or one Redis (or Valkey) shared by every machine. */
export type StoreSetting =
  | { kind: 'file' }
  | {
      kind: 'redis';
      url: string;
      /** The URL with any password replaced by `***`: the only form printed. */
      displayUrl: string;
      /** Where the setting came from, for error messages. */
      source: string;
      /** The user chose to run on the file store when Redis is unreachable at the start. */
      fallbackToFile: boolean;
    };

/** A store setting the user must fix; names where it was read and the fix. */
export class StoreSettingError extends EnvSettingError {}

/** The settings a user may give, each with where it came from. */
export interface StoreInputs {
  env: NodeJS.ProcessEnv;
  /** The `store` option of the nx-phases entry in nx.json, if any. */
  option?: unknown;
  /** The `storeFallback` option of the nx-phases entry in nx.json, if any. */
  fallbackOption?: unknown;
}

const OPTION_WHERE = 'nx.json: plugins[nx-phases].options';
const SCHEMES = ['redis:', 'rediss:'];
const FALLBACKS: readonly string[] = ENV_SETTINGS.storeFallback.choices;

/**
 * The store to use: `NX_PHASES_STORE` wins over the nx.json option `store`; neither (or `file`) is the file store.
 * Anything else that is not a redis:// or rediss:// URL is a StoreSettingError with a did-you-mean.
 */
export function resolveStoreSetting(inputs: StoreInputs): StoreSetting {
  const fromEnv = settingText(inputs.env, STORE_ENV);
  const raw: unknown = fromEnv ?? inputs.option;
  const fallbackToFile = fallbackChosen(inputs);
  if (raw === undefined) return { kind: 'file' };
  const source = fromEnv !== undefined ? STORE_ENV : `${OPTION_WHERE}.store`;
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new StoreSettingError(`${source} must be "file" or a redis:// URL, got ${JSON.stringify(raw)}. Fix: give "redis://host:6379" or remove it.`);
  }
  const value = raw.trim();
  if (value === 'file') return { kind: 'file' };
  const url = redisUrl(value);
  if (!url) throw new StoreSettingError(storeProblem(fromEnv !== undefined ? ENV_SETTINGS.store : undefined, value));
  return { kind: 'redis', url: value, displayUrl: displayUrl(url), source, fallbackToFile };
}

function redisUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return SCHEMES.includes(url.protocol) && url.hostname !== '' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The message for a store that is neither `file` nor a Redis URL, from the variable (`setting`) or nx.json; never shows a password. */
function storeProblem(setting: EnvSettingDoc | undefined, value: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1];
  const near = scheme ? closestName(`${scheme}:`, SCHEMES) : closestName(value, ['file']);
  const suggestion = near && near !== 'file' ? `${near}//…` : near;
  const shown = redactPassword(value);
  if (setting) return settingProblem(setting, shown, setting.what, suggestion);
  const hint = suggestion ? `Did you mean "${suggestion}"? ` : '';
  return (
    `${OPTION_WHERE}.store: "${shown}" is not a store nx-phases knows. Fix: ${hint}Give "file" (the default: this workspace's files) ` +
    `or a Redis/Valkey URL such as "redis://127.0.0.1:6379" (or "rediss://" for TLS).`
  );
}

function fallbackChosen(inputs: StoreInputs): boolean {
  const fromEnv = settingText(inputs.env, STORE_FALLBACK_ENV);
  const raw: unknown = fromEnv ?? inputs.fallbackOption;
  if (raw === undefined) return false;
  if (typeof raw === 'string' && FALLBACKS.includes(raw)) return true;
  const suggestion = typeof raw === 'string' ? closestName(raw, [...FALLBACKS]) : undefined;
  if (fromEnv !== undefined) throw new StoreSettingError(settingProblem(ENV_SETTINGS.storeFallback, inputs.env[STORE_FALLBACK_ENV] ?? fromEnv, ENV_SETTINGS.storeFallback.what, suggestion));
  throw new StoreSettingError(
    `${OPTION_WHERE}.storeFallback: ${JSON.stringify(raw)} is not a fallback nx-phases knows. Fix: ${suggestion ? `Did you mean "${suggestion}"? ` : ''}` +
      `Give "file" to run on this workspace's files when Redis is unreachable at the start, or remove it to fail instead.`,
  );
}

/** A URL as printed: the password (and a user name that may be a token) replaced by `***`. */
export function displayUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return copy.href.replace(/\/$/, '');
}

/** Best effort for text that did not parse as a URL: hides anything between `//` and `@`. */
function redactPassword(value: string): string {
  return value.replace(/\/\/[^@/]*@/, '//***@');
}
