import { join } from 'node:path';

/** The workspace's Nx data folder (`NX_WORKSPACE_DATA_DIRECTORY` or `.nx/workspace-data`) joined with `parts`. */
export function workspaceDataPath(workspaceRoot: string, ...parts: string[]): string {
  const base = process.env.NX_WORKSPACE_DATA_DIRECTORY ?? join(workspaceRoot, '.nx', 'workspace-data');
  return join(base, 'nx-phases', ...parts);
}
