import { closestName } from '../../plan/did-you-mean';

/** The `sandbox` option after validation: run the command under bubblewrap, with or without the network. */
export interface SandboxSettings {
  network: boolean;
}

/** Where the option is written, for messages. */
export interface OptionLocation {
  label: string;
  /** `phases[2].generator.options.sandbox`, when the executor passed the option's place in the plan. */
  jsonPath?: string;
  /** `apps/shop/phases.json`. */
  planFile?: string;
}

/** The keys of the object form, with what each must be. */
const OBJECT_KEYS: Record<string, 'boolean'> = { network: 'boolean' };

/** `<json path><suffix> in <plan file>`, or a generic pointer at phases.json when the place is unknown. */
export function optionPlace(where: OptionLocation, suffix = ''): string {
  return where.jsonPath && where.planFile ? `${where.jsonPath}${suffix} in ${where.planFile}` : `the generator options in phases.json (sandbox${suffix})`;
}

/**
 * Validates the `sandbox` option: absent or `false` (no sandbox), `true` (sandbox with network), or
 * `{ "network": false }` (sandbox without network; `network` defaults to true). An unknown key gets a
 * "did you mean", a wrong type names the key's JSON path.
 */
export function sandboxSettings(value: unknown, where: OptionLocation): SandboxSettings | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return { network: true };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(
      `${where.label}: nx-phases:command option "sandbox" must be true, false or { "network": false } (got ${JSON.stringify(value)}) at ${optionPlace(where)}.`,
    );
  }
  const allowed = Object.keys(OBJECT_KEYS);
  for (const [key, field] of Object.entries(value)) {
    if (!Object.prototype.hasOwnProperty.call(OBJECT_KEYS, key)) {
      const suggestion = closestName(key, allowed);
      throw new Error(
        `${where.label}: unknown key ${JSON.stringify(key)} in the "sandbox" option at ${optionPlace(where, `.${key}`)}. ` +
          `${suggestion ? `Did you mean "${suggestion}"? ` : 'Remove it. '}Allowed keys: ${allowed.join(', ')}.`,
      );
    }
    if (typeof field !== OBJECT_KEYS[key]) {
      throw new Error(
        `${where.label}: "sandbox.${key}" must be true or false (got ${JSON.stringify(field)}) at ${optionPlace(where, `.${key}`)}; ` +
          `for example "sandbox": { "${key}": false }.`,
      );
    }
  }
  const { network = true } = value as { network?: boolean };
  return { network };
}
