import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkEnvSettings, ENV_SETTINGS, EnvSettingError, SET_BY_THE_PLUGIN, type EnvSettingDoc } from './env-settings';
import { outputLimitBytes } from './output-limit';
import { claimTiming } from './single-flight/phase-claim';
import { MaxCostError, resolveMaxCostUsd } from './budget/budget-config';
import { progressMode } from './progress';
import { resolveStoreSetting } from './store/store-setting';

/** Each user setting through the function that reads it where it is used. */
const readers: Record<keyof typeof ENV_SETTINGS, (env: NodeJS.ProcessEnv) => unknown> = {
  maxOutputMb: (env) => outputLimitBytes(env),
  claimWaitTimeout: (env) => claimTiming({}, env).maxWaitMs,
  maxCostUsd: (env) => resolveMaxCostUsd(undefined, 'apps/shop/phases.json', env)?.usd,
  progress: (env) => progressMode(env, false),
  store: (env) => resolveStoreSetting({ env }),
  storeFallback: (env) => resolveStoreSetting({ env }),
};

const numberSettings = Object.entries(ENV_SETTINGS).filter(([, s]) => s.kind === 'number') as Array<[keyof typeof ENV_SETTINGS, EnvSettingDoc]>;

describe('environment settings', () => {
  describe.each(numberSettings)('%s', (key, setting) => {
    const read = (value: string) => readers[key]({ [setting.name]: value });

    it.each(['abc', '-1', '1e999', '1e3', '0x10', '10m', '$5', '2,5', 'Infinity', '5 5'])('refuses %j in one line naming the variable, the value and what is allowed', (value) => {
      expect(() => read(value)).toThrow(EnvSettingError);
      expect(() => read(value)).toThrow(`${setting.name}=${JSON.stringify(value)} is not ${setting.what}. Give ${setting.allowed}, or unset it.`);
      expect(() => checkEnvSettings({ [setting.name]: value })).toThrow(`${setting.name}=${JSON.stringify(value)} is not`);
    });

    it('takes " 5 " as 5, and unset or blank as the default', () => {
      expect(read(' 5 ')).toEqual(read('5'));
      expect(readers[key]({})).toEqual(read(''));
      expect(readers[key]({})).toEqual(read('  '));
      expect(() => checkEnvSettings({ [setting.name]: ' 5 ' })).not.toThrow();
    });

    if (setting.max !== undefined) {
      const max = setting.max;
      it(`takes its maximum, ${max}, and refuses more in one line naming the variable, the value and what is allowed`, () => {
        expect(() => read(String(max))).not.toThrow();
        for (const value of [`${max}.5`, '1000000', '9'.repeat(400)]) {
          expect(() => read(value)).toThrow(new EnvSettingError(`${setting.name}=${JSON.stringify(value)} is more than the maximum, ${max}. Give ${setting.allowed}, or unset it.`));
          expect(() => checkEnvSettings({ [setting.name]: value })).toThrow(`${setting.name}=${JSON.stringify(value)} is more than the maximum`);
        }
      });
    }

    it(setting.zeroAllowed ? 'takes 0' : 'refuses 0', () => {
      if (setting.zeroAllowed) expect(read('0')).toBe(0);
      else expect(() => read('0')).toThrow(`${setting.name}="0" is not ${setting.what}. Give ${setting.allowed}`);
    });
  });

  it('NX_PHASES_MAX_OUTPUT_MB has a maximum (128 MB), the other number settings none', () => {
    expect(numberSettings.filter(([, setting]) => setting.max !== undefined).map(([, setting]) => [setting.name, setting.max])).toEqual([['NX_PHASES_MAX_OUTPUT_MB', 128]]);
    expect(outputLimitBytes({ NX_PHASES_MAX_OUTPUT_MB: '128' })).toBe(128 * 1024 * 1024);
  });

  it('the budget keeps its own error class', () => {
    expect(() => readers.maxCostUsd({ NX_PHASES_MAX_COST_USD: 'five' })).toThrow(MaxCostError);
  });

  it('an unknown choice gets a did-you-mean and the allowed values; a far one gets the allowed values only', () => {
    expect(() => readers.progress({ NX_PHASES_PROGRESS: 'titels' })).toThrow(
      'NX_PHASES_PROGRESS="titels" is not a progress view. Did you mean "titles"? Give one of auto, fancy, plain, titles, none, or unset it.',
    );
    expect(() => readers.progress({ NX_PHASES_PROGRESS: 'quiet' })).toThrow('NX_PHASES_PROGRESS="quiet" is not a progress view. Give one of');
    expect(() => readers.storeFallback({ NX_PHASES_STORE: 'redis://h:1', NX_PHASES_STORE_FALLBACK: 'fil' })).toThrow(
      'NX_PHASES_STORE_FALLBACK="fil" is not a fallback nx-phases knows. Did you mean "file"? Give "file"',
    );
    expect(() => readers.store({ NX_PHASES_STORE: 'fiel' })).toThrow('NX_PHASES_STORE="fiel" is not a store nx-phases knows. Did you mean "file"? Give "file" or a Redis/Valkey URL');
    expect(() => checkEnvSettings({ NX_PHASES_PROGRESS: ' Plain ' })).toThrow('Did you mean "plain"?');
    expect(readers.progress({ NX_PHASES_PROGRESS: ' titles ' })).toBe('titles');
  });

  it.each([
    ['NX_PHASES_MAX_COST', 'NX_PHASES_MAX_COST_USD'],
    ['NX_PHASES_MAX_OUTPUT', 'NX_PHASES_MAX_OUTPUT_MB'],
    ['NX_PHASES_PROGRES', 'NX_PHASES_PROGRESS'],
    ['NX_PHASES_CLAIM_WAIT_TIMEOUT_S', 'NX_PHASES_CLAIM_WAIT_TIMEOUT'],
  ])('refuses the misspelled name %s with a did-you-mean (%s) instead of ignoring it', (typo, setting) => {
    expect(() => checkEnvSettings({ [typo]: '5' })).toThrow(new EnvSettingError(`${typo} is not an nx-phases setting. Did you mean ${setting}? Rename it, or unset it.`));
  });

  it('leaves the settings, the variables the plugin sets and names far from every setting alone', () => {
    const env: NodeJS.ProcessEnv = { NX_PHASES_MY_OWN_TOKEN: 'x', NX_PHASES_TEST_OPENAI_KEY: 'x', NX_PHASES_MAX_COST_USD: '1', NX_PHASES_PROGRESS: 'plain' };
    for (const name of SET_BY_THE_PLUGIN) env[name] = '1';
    expect(() => checkEnvSettings(env)).not.toThrow();
  });

  it('every message is one line', () => {
    const bad = { NX_PHASES_MAX_OUTPUT_MB: 'a\nb' };
    expect(() => checkEnvSettings(bad)).toThrow('NX_PHASES_MAX_OUTPUT_MB="a\\nb" is not');
    for (const setting of Object.values(ENV_SETTINGS)) expect(`${setting.allowed} ${setting.what}`).not.toContain('\n');
  });
});

describe('the README table of environment settings', () => {
  const repoRoot = join(__dirname, '..', '..', '..', '..');
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  /** Variables the plugin sets itself: for its tasks (hook), or for a command generator's command. */
  const setByThePlugin = SET_BY_THE_PLUGIN;

  it('has one row per user setting, with its default', () => {
    for (const setting of Object.values(ENV_SETTINGS)) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${setting.name}\` |`));
      expect({ name: setting.name, row: row !== undefined }).toEqual({ name: setting.name, row: true });
      expect(row).toContain(setting.allowed.replace(/"/g, '`'));
    }
  });

  it('every NX_PHASES_ variable named in the plugin source is a user setting or one the plugin sets (and is in the README)', () => {
    const known = new Set<string>([...Object.values(ENV_SETTINGS).map((s) => s.name), ...setByThePlugin]);
    const named = new Set(sourceFiles(join(repoRoot, 'packages', 'nx-phases', 'src')).flatMap((file) => readFileSync(file, 'utf8').match(/NX_PHASES_[A-Z0-9_]+/g) ?? []));
    expect([...named].filter((name) => !known.has(name))).toEqual([]);
    expect([...known].filter((name) => !readme.includes(name))).toEqual([]);
  });
});

/** The plugin's non-test TypeScript files. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'test-utils' ? [] : sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}
