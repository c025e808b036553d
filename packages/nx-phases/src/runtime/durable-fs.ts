import { closeSync, fchmodSync, fstatSync, fsyncSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, relative, sep } from 'node:path';

/** How a file is written: with execute bits, and whether it is flushed to disk (fsync) before the call returns. */
export interface WriteOptions {
  /** Give the file execute bits wherever it has read bits (like `chmod +x`). */
  executable?: boolean;
  /** fsync the file (default false): after a crash or power loss it then holds this content, never a hole or nothing. */
  durable?: boolean;
}

/** Errors that only mean "this platform cannot fsync a folder" (Windows); a rename there is already durable. */
const FOLDER_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EINVAL', 'EBADF', 'EACCES']);

/** How many fsyncs `flushAll` keeps in flight: concurrent fsyncs share a journal commit (ext4, APFS), 5-8× faster. */
const PARALLEL_FLUSHES = 16;

/** Writes `content` to `path` (creating its folder) and sets its mode; with `durable`, fsyncs it before closing. */
export function writeFileFlushed(path: string, content: string | Buffer, options: WriteOptions = {}): void {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  try {
    writeFileSync(fd, content);
    if (options.executable) {
      const mode = fstatSync(fd).mode & 0o7777;
      fchmodSync(fd, mode | ((mode & 0o444) >> 2));
    }
    if (options.durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * fsyncs files and folders (a folder's fsync makes the entries created or renamed in it durable), many at once.
 * Folders on platforms that cannot fsync them are skipped.
 */
export async function flushAll(paths: Iterable<string>): Promise<void> {
  const queue = [...new Set(paths)];
  const worker = async () => {
    for (let path = queue.pop(); path !== undefined; path = queue.pop()) await flushOne(path);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_FLUSHES, queue.length) }, worker));
}

async function flushOne(path: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch (error) {
    if (!FOLDER_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * fsyncs folders one by one, synchronously (after renames, where nothing may interleave); like `flushAll` otherwise.
 * With `skipMissing`, a folder that no longer exists (deleted by hand) is skipped: there is nothing left in it to flush.
 */
export function syncFolders(folders: Iterable<string>, skipMissing = false): void {
  for (const folder of new Set(folders)) {
    let fd: number | undefined;
    try {
      fd = openSync(folder, 'r');
      fsyncSync(fd);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (skipMissing && code === 'ENOENT') continue;
      if (!FOLDER_SYNC_UNSUPPORTED.has(code)) throw error;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}

/** Every folder from `path`'s folder up to and including `root` (which must hold it), so new folders' own entries are flushed too. */
export function foldersUpTo(root: string, path: string): string[] {
  const folders: string[] = [];
  for (let folder = dirname(path); ; folder = dirname(folder)) {
    folders.push(folder);
    const rest = relative(root, folder);
    if (rest === '' || rest === '..' || rest.startsWith(`..${sep}`) || folder === dirname(folder)) return folders;
  }
}
