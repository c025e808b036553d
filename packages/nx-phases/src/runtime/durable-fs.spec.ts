import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TempWorkspace } from '../test-utils/temp-workspace';
import { foldersUpTo, syncFolders, writeFileFlushed } from './durable-fs';

describe('durable file writes', () => {
  let ws: TempWorkspace;
  beforeEach(() => (ws = new TempWorkspace()));
  afterEach(() => ws.dispose());

  it('lists every folder from a file up to the root, so new folders are flushed too', () => {
    expect(foldersUpTo('/app', '/app/src/lib/a.ts')).toEqual(['/app/src/lib', '/app/src', '/app']);
    expect(foldersUpTo('/app', '/app/a.ts')).toEqual(['/app']);
  });

  it('writes, sets execute bits where read bits are, and flushes folders without error', () => {
    const tool = join(ws.root, 'bin', 'tool');
    writeFileFlushed(tool, '#!/bin/sh\n', { executable: true });
    writeFileFlushed(join(ws.root, 'plain.txt'), 'text', { durable: false });
    syncFolders(foldersUpTo(ws.root, tool));
    expect(readFileSync(tool, 'utf8')).toBe('#!/bin/sh\n');
    const mode = statSync(tool).mode;
    expect((mode & 0o444) >> 2).toBe(mode & 0o111);
    expect(statSync(join(ws.root, 'plain.txt')).mode & 0o111).toBe(0);
  });

  it('skips a folder deleted meanwhile only when asked to, and flushes the others', () => {
    const missing = join(ws.root, 'deleted-by-hand');
    expect(() => syncFolders([ws.root, missing])).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => syncFolders([missing, ws.root], true)).not.toThrow();
  });
});
