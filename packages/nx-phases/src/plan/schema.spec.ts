import { readFileSync } from 'node:fs';
import { DEFAULT_DOMAIN, DEFAULT_GENERATOR, DEFAULT_RATE_LIMIT, PHASES_SCHEMA_PATH, predictPhaseFiles } from './index';
import { PATTERN_HINTS } from './schema-validate';

const schema = JSON.parse(readFileSync(PHASES_SCHEMA_PATH, 'utf8'));

/** Every value of `key` anywhere in the schema. */
function collect(node: unknown, key: string): unknown[] {
  if (typeof node !== 'object' || node === null) return [];
  const own = key in node ? [(node as Record<string, unknown>)[key]] : [];
  return [...own, ...Object.values(node).flatMap((child) => collect(child, key))];
}

describe('schemas/phases.schema.json', () => {
  it('has a friendly hint for every pattern it uses', () => {
    for (const pattern of collect(schema, 'pattern')) expect(PATTERN_HINTS).toHaveProperty([pattern as string]);
  });

  it('documents the same defaults the parser applies', () => {
    const rateLimit = schema.properties.rateLimit.properties;
    expect({
      maxConcurrentRequests: rateLimit.maxConcurrentRequests.default,
      minDelayBetweenMs: rateLimit.minDelayBetweenMs.default,
      requestsPerMinute: rateLimit.requestsPerMinute.default,
    }).toEqual(DEFAULT_RATE_LIMIT);
    expect(schema.properties.generator.description).toContain(`"${DEFAULT_GENERATOR}"`);
    expect(schema.definitions.phase.properties.domain.default).toBe(DEFAULT_DOMAIN);
  });

  it('allows exactly the domains the file predictor knows', () => {
    const domains: string[] = schema.definitions.phase.properties.domain.enum;
    expect(domains).toEqual(['setup', 'database', 'auth', 'api', 'feature', 'admin', 'polish', 'testing']);
    const featureRule = predictPhaseFiles({ name: 'X', domain: 'feature', features: ['Y'] });
    for (const domain of domains.filter((d) => d !== 'feature')) {
      expect(predictPhaseFiles({ name: 'X', domain, features: ['Y'] })).not.toEqual(featureRule);
    }
  });
});
