import { resolveStoreSetting, StoreSettingError } from './store-setting';

const resolve = (env: Record<string, string>, option?: unknown, fallbackOption?: unknown) => resolveStoreSetting({ env, option, fallbackOption });

describe('the coordination store setting', () => {
  it('is the file store by default, and for "file"', () => {
    expect(resolve({})).toEqual({ kind: 'file' });
    expect(resolve({ NX_PHASES_STORE: 'file' }, 'redis://elsewhere:6379')).toEqual({ kind: 'file' });
    expect(resolve({ NX_PHASES_STORE: '  ' }, 'file')).toEqual({ kind: 'file' });
  });

  it('takes a redis:// URL from the environment before the nx.json option, hiding the password when printed', () => {
    expect(resolve({ NX_PHASES_STORE: 'redis://:s3cret@10.0.0.5:6379/2' }, 'redis://other:1')).toEqual({
      kind: 'redis',
      url: 'redis://:s3cret@10.0.0.5:6379/2',
      displayUrl: 'redis://:***@10.0.0.5:6379/2',
      source: 'NX_PHASES_STORE',
      fallbackToFile: false,
    });
    expect(resolve({}, 'rediss://cache.example:6380')).toMatchObject({ kind: 'redis', source: 'nx.json: plugins[nx-phases].options.store', displayUrl: 'rediss://cache.example:6380' });
  });

  it('rejects an unknown scheme with a did-you-mean, never printing the password', () => {
    const attempt = () => resolve({ NX_PHASES_STORE: 'redsi://:pw@host:6379' });
    expect(attempt).toThrow(StoreSettingError);
    expect(attempt).toThrow('NX_PHASES_STORE="redsi://***@host:6379" is not a store nx-phases knows. Did you mean "redis://…"?');
    expect(() => resolve({}, 'fiel')).toThrow('nx.json: plugins[nx-phases].options.store: "fiel" is not a store nx-phases knows. Fix: Did you mean "file"?');
    expect(() => resolve({}, 6379)).toThrow('must be "file" or a redis:// URL, got 6379');
  });

  it('falls back to the file store only when the user chose "file" explicitly; any other fallback is an error', () => {
    expect(resolve({ NX_PHASES_STORE: 'redis://h:1', NX_PHASES_STORE_FALLBACK: 'file' })).toMatchObject({ fallbackToFile: true });
    expect(resolve({ NX_PHASES_STORE: 'redis://h:1' }, undefined, 'file')).toMatchObject({ fallbackToFile: true });
    expect(resolve({ NX_PHASES_STORE: 'redis://h:1' })).toMatchObject({ fallbackToFile: false });
    expect(() => resolve({ NX_PHASES_STORE: 'redis://h:1', NX_PHASES_STORE_FALLBACK: 'fil' })).toThrow('NX_PHASES_STORE_FALLBACK="fil" is not a fallback nx-phases knows. Did you mean "file"?');
  });
});
