import { BoundedOutput, formatBytes, outputLimitBytes, OUTPUT_LIMIT_ENV, type OutputChunk } from './output-limit';

/** Writes `lines` numbered lines (each `line <n> ` padded to 64 bytes) in chunks of `perChunk` lines. */
function feed(bounded: BoundedOutput<string>, lines: number, perChunk: number, stream = 'out'): string {
  let all = '';
  for (let first = 0; first < lines; first += perChunk) {
    let chunk = '';
    for (let n = first; n < Math.min(lines, first + perChunk); n++) chunk += `line ${n} `.padEnd(63, '.') + '\n';
    bounded.write(stream, Buffer.from(chunk));
    all += chunk;
  }
  return all;
}

describe('BoundedOutput', () => {
  const limit = 64 * 1024;

  it('passes everything on and drops nothing below the limit', () => {
    const head: OutputChunk<string>[] = [];
    const bounded = new BoundedOutput<string>(limit, (chunk) => head.push(chunk));
    const all = feed(bounded, 100, 7);
    const { note, tail } = bounded.finish();
    expect(Buffer.concat(head.map((c) => c.data)).toString() + Buffer.concat(tail.map((c) => c.data)).toString()).toBe(all);
    expect(note).toBe('');
    expect(bounded.counts()).toEqual({ total: all.length, dropped: 0 });
  });

  it.each([1, 13, 4096])('keeps the first and last half of the limit of 5 MB written in chunks of %i lines, and says exactly how much it dropped', (perChunk) => {
    const head: OutputChunk<string>[] = [];
    const bounded = new BoundedOutput<string>(limit, (chunk) => head.push(chunk));
    const all = feed(bounded, 80_000, perChunk);
    const { note, tail } = bounded.finish();
    const kept = { head: Buffer.concat(head.map((c) => c.data)).toString(), tail: Buffer.concat(tail.map((c) => c.data)).toString() };
    expect(kept.head).toBe(all.slice(0, limit / 2));
    expect(kept.tail).toBe(all.slice(all.length - limit / 2));
    const dropped = all.length - limit;
    expect(bounded.counts()).toEqual({ total: all.length, dropped });
    expect(note).toContain(`[nx-phases: ${formatBytes(dropped)} of this phase's output dropped here: it wrote ${formatBytes(all.length)}`);
    expect(note).toContain(`Raise ${OUTPUT_LIMIT_ENV} (now 64.0 KB)`);
    expect(kept.tail.endsWith('line 79999 '.padEnd(63, '.') + '\n')).toBe(true);
  });

  it('keeps, in the tail, which stream each kept piece was written to', () => {
    const bounded = new BoundedOutput<string>(limit, () => undefined);
    feed(bounded, 5_000, 50, 'out');
    bounded.write('err', Buffer.from('the failure reason\n'));
    const { tail } = bounded.finish();
    expect(tail[tail.length - 1]).toEqual({ stream: 'err', data: Buffer.from('the failure reason\n') });
    expect(tail.slice(0, -1).every((c) => c.stream === 'out')).toBe(true);
  });

  it('reads the limit from NX_PHASES_MAX_OUTPUT_MB, with a floor of 64 KB, and rejects a value that is not a number', () => {
    expect(outputLimitBytes({})).toBe(8 * 1024 * 1024);
    expect(outputLimitBytes({ [OUTPUT_LIMIT_ENV]: '0.5' })).toBe(512 * 1024);
    expect(outputLimitBytes({ [OUTPUT_LIMIT_ENV]: '0.001' })).toBe(64 * 1024);
    expect(() => outputLimitBytes({ [OUTPUT_LIMIT_ENV]: 'lots' })).toThrow(`${OUTPUT_LIMIT_ENV}="lots" is not a number of megabytes. Give a number of megabytes greater than 0`);
  });
});
