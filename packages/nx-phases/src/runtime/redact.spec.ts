import { MASK_ANYWHERE_LENGTH, redactSecret, redactSecrets } from './redact';

describe('redactSecret', () => {
  it('masks a long key everywhere, also glued inside other text', () => {
    const key = 'sk-proj-0123456789abcdef';
    expect(key.length).toBeGreaterThanOrEqual(MASK_ANYWHERE_LENGTH);
    expect(redactSecret(`Bearer ${key} / x${key}y / ${key}${key}`, key)).toBe('Bearer *** / x***y / ******');
  });

  it('leaves words that contain a short key alone (issue 16: http://***host:9/v1, fa***e-model, to***ens)', () => {
    expect(redactSecret('could not get a reply from http://localhost:9/v1', 'local')).toBe(
      'could not get a reply from http://localhost:9/v1',
    );
    expect(redactSecret('model "fake-model", maxOutputTokens', 'k')).toBe('model "fake-model", maxOutputTokens');
    expect(redactSecret('tokens, token_count, k-means, k_1, 1k', 'k')).toBe('tokens, token_count, k-means, k_1, 1k');
    expect(redactSecret('local.example.com and example.local', 'local')).toBe('local.example.com and example.local');
  });

  it('masks a short key where it stands as a whole token', () => {
    expect(redactSecret('Authorization: Bearer local', 'local')).toBe('Authorization: Bearer ***');
    expect(redactSecret('You sent me local, which is not valid.', 'local')).toBe('You sent me ***, which is not valid.');
    expect(redactSecret('key=local&x=1 "local" (local) local.', 'local')).toBe('key=***&x=1 "***" (***) ***.');
    expect(redactSecret('k', 'k')).toBe('***');
    expect(redactSecret('Bearer k\nkey: k', 'k')).toBe('Bearer ***\nkey: ***');
  });

  it('treats regular-expression characters in a short key literally', () => {
    expect(redactSecret('Bearer a.b+c and aXb+c', 'a.b+c')).toBe('Bearer *** and aXb+c');
    expect(redactSecret('Bearer (x)|y', '(x)|y')).toBe('Bearer ***');
  });

  it('ignores an empty or blank key', () => {
    expect(redactSecret('a b', '')).toBe('a b');
    expect(redactSecret('a b', ' ')).toBe('a b');
  });
});

describe('redactSecrets', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('masks OPENAI_API_KEY and the variable named by apiKeyEnv, even one letter long', () => {
    process.env.OPENAI_API_KEY = 'k';
    process.env.NXP_TEST_KEY = 'my-custom-key-0123456789';
    expect(redactSecrets('Bearer k, fake-model, key my-custom-key-0123456789', 'NXP_TEST_KEY')).toBe(
      'Bearer ***, fake-model, key ***',
    );
  });
});
