import { ENV_SETTINGS, readNumberSetting } from './env-settings';

/** The environment variable that sets how much of a phase's output is kept, in MB (default 8). */
export const OUTPUT_LIMIT_ENV = ENV_SETTINGS.maxOutputMb.name;

const DEFAULT_LIMIT_MB = 8;
/** Never less than this, so that the tail always holds a whole failure message. */
const MIN_LIMIT_BYTES = 64 * 1024;

/** The output limit in bytes: `NX_PHASES_MAX_OUTPUT_MB` (a positive number of MB, at least 64 KB), else 8 MB. */
export function outputLimitBytes(env: NodeJS.ProcessEnv = process.env): number {
  const mb = readNumberSetting(env, ENV_SETTINGS.maxOutputMb) ?? DEFAULT_LIMIT_MB;
  return Math.max(MIN_LIMIT_BYTES, Math.round(mb * 1024 * 1024));
}

/** One piece of output, and the stream it was written to. */
export interface OutputChunk<S> {
  stream: S;
  data: Buffer;
}

/**
 * Keeps the first half of the limit of what is written (passed on as it comes, through `onHead`) and the last
 * half (kept until `finish`), and counts what falls between: a phase that prints 600 MB costs 8 MB of memory,
 * and the end of its output (where its failure reason is) is never lost.
 */
export class BoundedOutput<S> {
  private headBytes = 0;
  private readonly tail: OutputChunk<S>[] = [];
  private tailBytes = 0;
  private total = 0;
  private dropped = 0;
  private readonly headLimit: number;
  private readonly tailLimit: number;

  constructor(
    readonly limit: number,
    private readonly onHead: (chunk: OutputChunk<S>) => void,
  ) {
    this.headLimit = Math.floor(limit / 2);
    this.tailLimit = limit - this.headLimit;
  }

  /** Takes one write. */
  write(stream: S, data: Buffer): void {
    this.total += data.length;
    const room = this.headLimit - this.headBytes;
    if (room > 0) {
      const head = data.length <= room ? data : data.subarray(0, room);
      this.headBytes += head.length;
      this.onHead({ stream, data: head });
      if (head.length === data.length) return;
      data = data.subarray(room);
    }
    this.pushTail({ stream, data });
  }

  /** Bytes written so far, and bytes dropped so far. */
  counts(): { total: number; dropped: number } {
    return { total: this.total, dropped: this.dropped };
  }

  /** The note saying how much was dropped (empty when nothing was), then the kept tail, in order. */
  finish(): { note: string; tail: OutputChunk<S>[] } {
    const note =
      this.dropped === 0
        ? ''
        : `\n[nx-phases: ${formatBytes(this.dropped)} of this phase's output dropped here: it wrote ${formatBytes(this.total)}, and the first and ` +
          `last ${formatBytes(this.headLimit)} are kept. Raise ${OUTPUT_LIMIT_ENV} (now ${formatBytes(this.limit)}) to keep more.]\n`;
    return { note, tail: this.tail.splice(0) };
  }

  private pushTail(chunk: OutputChunk<S>): void {
    if (chunk.data.length >= this.tailLimit) {
      this.dropped += this.tailBytes + chunk.data.length - this.tailLimit;
      this.tail.splice(0);
      this.tail.push({ stream: chunk.stream, data: Buffer.from(chunk.data.subarray(chunk.data.length - this.tailLimit)) });
      this.tailBytes = this.tailLimit;
      return;
    }
    this.tail.push({ stream: chunk.stream, data: Buffer.from(chunk.data) });
    this.tailBytes += chunk.data.length;
    while (this.tailBytes > this.tailLimit) {
      const oldest = this.tail[0];
      const excess = this.tailBytes - this.tailLimit;
      if (oldest.data.length <= excess) {
        this.tail.shift();
        this.tailBytes -= oldest.data.length;
        this.dropped += oldest.data.length;
      } else {
        oldest.data = oldest.data.subarray(excess);
        this.tailBytes -= excess;
        this.dropped += excess;
      }
    }
  }
}

/** "1.5 MB", "320 KB", "12 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

/** A write's chunk as bytes. */
export function chunkBytes(chunk: unknown, encoding?: unknown): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  return Buffer.from(chunk as Uint8Array);
}

/**
 * Bounds everything this process writes to stdout and stderr (one phase per process: the plain executor) until
 * the returned `finish` is called, which prints the note and the kept tail and restores the streams.
 */
export function boundProcessOutput(limit: number = outputLimitBytes()): () => void {
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((stream) => stream.write);
  const passOn = ({ stream, data }: OutputChunk<number>) => (originals[stream] as (chunk: Buffer) => boolean).call(streams[stream], data);
  const bounded = new BoundedOutput<number>(limit, passOn);
  streams.forEach((stream, index) => {
    stream.write = function boundedWrite(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
      bounded.write(index, chunkBytes(chunk, encoding));
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') process.nextTick(done as () => void);
      return true;
    } as typeof stream.write;
  });
  return () => {
    streams.forEach((stream, index) => (stream.write = originals[index]));
    const { note, tail } = bounded.finish();
    if (note) process.stderr.write(note);
    for (const chunk of tail) streams[chunk.stream].write(chunk.data);
  };
}
