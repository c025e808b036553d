import { join, resolve } from 'node:path';

/**
 * `<Nx workspace data folder>/nx-phases/<parts>`: the folder is `NX_WORKSPACE_DATA_DIRECTORY` (resolved
 * against the workspace root when relative, as Nx does) or `<workspaceRoot>/.nx/workspace-data`.
 */
export function workspaceDataPath(workspaceRoot: string, ...parts: string[]): string {
  const configured = process.env.NX_WORKSPACE_DATA_DIRECTORY;
  const base = configured ? resolve(workspaceRoot, configured) : join(workspaceRoot, '.nx', 'workspace-data');
  return join(base, 'nx-phases', ...parts);
}
