import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';

/** The top-level system folders bound read-only (a symlink such as `/bin -> usr/bin` is recreated as the same symlink). */
export const SYSTEM_FOLDERS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

/**
 * The entries of /etc a command may need (users and groups by name, name resolution, TLS roots, the dynamic
 * linker's cache, time zone, Debian's alternatives), bound read-only when present. Nothing else of /etc is
 * visible: no shadow files, no private keys under /etc/ssl/private, no npmrc or gitconfig with credentials.
 */
export const ETC_ENTRIES = [
  'alternatives', 'ca-certificates', 'ca-certificates.conf', 'crypto-policies', 'gai.conf', 'group', 'host.conf', 'hostname', 'hosts',
  'ld.so.cache', 'ld.so.conf', 'ld.so.conf.d', 'localtime', 'mime.types', 'nsswitch.conf', 'os-release', 'passwd',
  'pki/ca-trust', 'pki/tls/certs', 'pki/tls/openssl.cnf', 'protocols', 'resolv.conf', 'services', 'ssl/certs', 'ssl/openssl.cnf', 'timezone',
].map((entry) => `/etc/${entry}`);

/** The folders a sandboxed command works with. */
export interface SandboxPaths {
  /** The snapshot: read-write, the working directory. */
  workDir: string;
  /** The private HOME and TMPDIR: read-write. */
  writable: string[];
  /** Files the command reads (its context file): read-only. */
  readable: string[];
  /** The workspace whose `node_modules` is bound read-only (never the workspace itself: its `.nx` holds sockets). */
  workspaceRoot: string;
  /** The Node binary running the plugin (`process.execPath`): its install prefix is bound read-only. */
  nodeExecPath: string;
  /** `$XDG_RUNTIME_DIR`, replaced by an empty private folder. */
  runtimeDir?: string;
}

/**
 * bwrap arguments building the sandbox's file system on an empty root: system folders and an /etc subset
 * read-only, fresh /proc and /dev, empty private /tmp, /var/tmp, /run (and /var/run), /dev/shm and
 * `$XDG_RUNTIME_DIR`, the workspace's node_modules and Node's prefix read-only, the snapshot and the private
 * folders read-write. No host folder that holds unix sockets (the temp folder, /run, the workspace's `.nx`, HOME)
 * is bound, so no host socket exists in the sandbox to connect to.
 */
export function mountArguments(paths: SandboxPaths): string[] {
  const args: string[] = [];
  for (const folder of SYSTEM_FOLDERS) args.push(...systemFolder(folder));
  for (const entry of ETC_ENTRIES) args.push('--ro-bind-try', entry, entry);
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/dev/shm');
  args.push('--tmpfs', '/tmp', '--tmpfs', '/var/tmp', '--tmpfs', '/run', '--symlink', '../run', '/var/run');
  if (paths.runtimeDir && isAbsolute(paths.runtimeDir)) args.push('--tmpfs', paths.runtimeDir);
  args.push(...nodeInstall(paths));
  args.push(...nodeModules(paths.workspaceRoot));
  for (const file of paths.readable) args.push('--ro-bind', file, file);
  for (const folder of [...paths.writable, paths.workDir]) args.push('--bind', folder, folder);
  return args;
}

function systemFolder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  const stat = lstatSync(folder);
  if (stat.isSymbolicLink()) return ['--symlink', readlinkSync(folder), folder];
  return stat.isDirectory() ? ['--ro-bind', folder, folder] : [];
}

/** Node's prefix (`<prefix>/bin/node`: npm, npx and global CLIs live beside it), or the binary alone when the prefix is too broad. */
function nodeInstall(paths: SandboxPaths): string[] {
  const binary = realpathSync(paths.nodeExecPath);
  const prefix = dirname(dirname(binary));
  if (isInside(prefix, '/usr')) return [];
  if (isBroad(prefix, paths.workspaceRoot)) return ['--ro-bind', binary, binary];
  return ['--ro-bind', prefix, prefix];
}

/** The workspace's node_modules, read-only at its own path (and at its target's, when it is a symlink). */
function nodeModules(workspaceRoot: string): string[] {
  const link = join(workspaceRoot, 'node_modules');
  if (!existsSync(link)) return [];
  const target = realpathSync(link);
  if (isBroad(target, workspaceRoot)) {
    throw new Error(`${link} resolves to ${target}, which holds the workspace, the temp folder or HOME; the sandbox will not bind it. Make node_modules a real folder.`);
  }
  return target === link ? ['--ro-bind', link, link] : ['--ro-bind', target, target, '--ro-bind', target, link];
}

/** True when binding `folder` would expose the root, HOME, the temp folder or the workspace (and its `.nx`). */
function isBroad(folder: string, workspaceRoot: string): boolean {
  return folder === '/' || [homedir(), tmpdir(), workspaceRoot].some((held) => isInside(held, folder));
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
