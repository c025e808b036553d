/**
 * A child process for the file-lock tests: `lock-contender.ts <lockPath> <dir> <iterations> <goFile>` waits until
 * `goFile` exists, then `iterations` times enters `withFileLock(lockPath)` and, inside it, marks `<dir>/inside`
 * (O_EXCL: a second process inside at the same moment finds it and appends a line to `<dir>/violations`), does a
 * read-modify-write of `<dir>/counter` with a 2 ms pause between read and write, and removes the mark.
 */
import { appendFileSync, existsSync, openSync, closeSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withFileLock } from '../lock-file';
import { sleep } from '../sleep';

const pause = new Int32Array(new SharedArrayBuffer(4));

function critical(dir: string): void {
  const inside = join(dir, 'inside');
  let mine = true;
  try {
    closeSync(openSync(inside, 'wx'));
  } catch {
    mine = false;
    appendFileSync(join(dir, 'violations'), `${process.pid}\n`);
  }
  const counter = join(dir, 'counter');
  const value = existsSync(counter) ? Number(readFileSync(counter, 'utf8')) : 0;
  Atomics.wait(pause, 0, 0, 2); // a synchronous pause: another process inside now would overlap
  writeFileSync(counter, String(value + 1));
  if (mine) unlinkSync(inside);
}

async function main([lockPath, dir, iterations, goFile]: string[]): Promise<void> {
  process.stdout.write('ready\n');
  while (!existsSync(goFile)) await sleep(5);
  for (let i = 0; i < Number(iterations); i++) await withFileLock(lockPath, () => critical(dir), { timeoutMs: 120_000 });
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(String(error?.stack ?? error) + '\n');
  process.exit(1);
});
