import { lstatSync, mkdirSync, mkdtempSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ETC_ENTRIES, mountArguments, type SandboxPaths } from './sandbox-mounts';

/** Pairs of `--flag a b` (or `--flag a`) from a bwrap argument list, for assertions on what is bound where. */
function binds(args: string[], flag: string): string[][] {
  const out: string[][] = [];
  args.forEach((arg, i) => arg === flag && out.push(args.slice(i + 1, i + 3)));
  return out;
}

/** Real folders: a workspace, a Node install prefix and a node_modules target beside it, under a private temp folder. */
describe('mountArguments', () => {
  let root: string;
  let paths: SandboxPaths;
  beforeEach(() => {
    // Below the temp folder, not holding it: a prefix or a node_modules target here is not "broad".
    root = realpathSync(mkdtempSync(join(tmpdir(), 'nx-phases-mounts-')));
    mkdirSync(join(root, 'ws'));
    mkdirSync(join(root, 'node/bin'), { recursive: true });
    writeFileSync(join(root, 'node/bin/node'), '');
    paths = { workDir: join(root, 'snap'), writable: [join(root, 'home'), join(root, 'tmp')], readable: [join(root, 'ctx.json')], workspaceRoot: join(root, 'ws'), nodeExecPath: join(root, 'node/bin/node') };
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('binds the snapshot and private folders read-write, the context read-only, and Node\'s prefix read-only', () => {
    const args = mountArguments(paths);
    expect(binds(args, '--bind')).toEqual([
      [join(root, 'home'), join(root, 'home')],
      [join(root, 'tmp'), join(root, 'tmp')],
      [paths.workDir, paths.workDir],
    ]);
    expect(binds(args, '--ro-bind')).toContainEqual([join(root, 'ctx.json'), join(root, 'ctx.json')]);
    expect(binds(args, '--ro-bind')).toContainEqual([join(root, 'node'), join(root, 'node')]);
    expect(args.slice(-3)).toEqual(['--bind', paths.workDir, paths.workDir]); // the snapshot last: nothing is mounted over it
  });

  it('gives private empty /tmp, /var/tmp, /run, /dev/shm, and $XDG_RUNTIME_DIR only when it is absolute', () => {
    expect(binds(mountArguments({ ...paths, runtimeDir: '/run/user/1000' }), '--tmpfs').map(([folder]) => folder)).toEqual(['/dev/shm', '/tmp', '/var/tmp', '/run', '/run/user/1000']);
    expect(binds(mountArguments({ ...paths, runtimeDir: 'relative/dir' }), '--tmpfs').map(([folder]) => folder)).toEqual(['/dev/shm', '/tmp', '/var/tmp', '/run']);
    expect(binds(mountArguments(paths), '--symlink')).toContainEqual(['../run', '/var/run']);
  });

  it('offers only the listed /etc entries, each optional', () => {
    const etc = binds(mountArguments(paths), '--ro-bind-try');
    expect(etc).toEqual(ETC_ENTRIES.map((entry) => [entry, entry]));
    expect(ETC_ENTRIES).not.toContain('/etc/shadow');
    expect(ETC_ENTRIES).toContain('/etc/passwd');
  });

  it('binds only the Node binary when its prefix would expose the workspace', () => {
    mkdirSync(join(root, 'ws/bin'), { recursive: true });
    writeFileSync(join(root, 'ws/bin/node'), '');
    const args = mountArguments({ ...paths, workspaceRoot: join(root, 'ws/project'), nodeExecPath: join(root, 'ws/bin/node') });
    expect(binds(args, '--ro-bind')).toContainEqual([join(root, 'ws/bin/node'), join(root, 'ws/bin/node')]);
    expect(binds(args, '--ro-bind')).not.toContainEqual([join(root, 'ws'), join(root, 'ws')]);
  });

  it('binds nothing more for a Node under /usr (already bound)', () => {
    const args = mountArguments({ ...paths, nodeExecPath: '/usr/bin/env' });
    expect(binds(args, '--ro-bind').filter(([from]) => from.startsWith(root))).toEqual([[join(root, 'ctx.json'), join(root, 'ctx.json')]]);
    expect(binds(args, '--ro-bind').filter(([from]) => from === '/usr' || from.startsWith('/usr/'))).toEqual([['/usr', '/usr']]);
  });

  it('binds a real node_modules at its path, and a symlinked one at its target and its path', () => {
    mkdirSync(join(root, 'ws/node_modules'));
    expect(binds(mountArguments(paths), '--ro-bind')).toContainEqual([join(root, 'ws/node_modules'), join(root, 'ws/node_modules')]);
    rmSync(join(root, 'ws/node_modules'), { recursive: true });
    mkdirSync(join(root, 'store'));
    symlinkSync(join(root, 'store'), join(root, 'ws/node_modules'));
    const ro = binds(mountArguments(paths), '--ro-bind');
    expect(ro).toContainEqual([join(root, 'store'), join(root, 'store')]);
    expect(ro).toContainEqual([join(root, 'store'), join(root, 'ws/node_modules')]);
  });

  it.each([
    ['the temp folder', () => tmpdir()],
    ['HOME', () => homedir()],
    ['the workspace itself', () => join(root, 'ws')],
    ['the root', () => '/'],
  ])('refuses a node_modules that resolves to a folder holding %s, naming the fix', (_, target) => {
    symlinkSync(target(), join(root, 'ws/node_modules'));
    expect(() => mountArguments(paths)).toThrow(`${join(root, 'ws/node_modules')} resolves to ${realpathSync(target())}, which holds the workspace, the temp folder or HOME; the sandbox will not bind it. Make node_modules a real folder.`);
  });

  it('recreates a system folder that is a symlink as the same symlink, and skips a missing one', () => {
    const args = mountArguments(paths);
    for (const folder of ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
      const pair = args.findIndex((arg, i) => args[i + 2] === folder && (arg === '--ro-bind' || arg === '--symlink'));
      let kind: string | undefined;
      try {
        kind = lstatSync(folder).isSymbolicLink() ? '--symlink' : '--ro-bind';
      } catch {
        kind = undefined;
      }
      expect({ folder, flag: pair >= 0 ? args[pair] : undefined }).toEqual({ folder, flag: kind });
      if (kind === '--symlink') expect(args[pair + 1]).toBe(readlinkSync(folder));
    }
  });
});
