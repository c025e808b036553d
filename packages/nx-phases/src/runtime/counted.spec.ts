import { counted } from './counted';

describe('counted', () => {
  it.each([
    [0, 'file', undefined, '0 files'],
    [1, 'file', undefined, '1 file'],
    [2, 'file', undefined, '2 files'],
    [1, 'retry', 'retries', '1 retry'],
    [3, 'retry', 'retries', '3 retries'],
    [1234, 'call', undefined, '1,234 calls'],
  ])('%d %s → %s', (n, one, many, text) => expect(counted(n, one, many)).toBe(text));
});
