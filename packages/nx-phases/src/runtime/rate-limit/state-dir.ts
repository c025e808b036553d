import { createHash } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * The limiter folder for one endpoint:
 * `<NX_WORKSPACE_DATA_DIRECTORY or <workspaceRoot>/.nx/workspace-data>/nx-phases/rate-limit/<sha256(baseURL\nmodel)[0..16]>`.
 * Every process of the workspace calling the same baseURL+model shares it.
 */
export function rateLimitStateDir(workspaceRoot: string, baseURL: string, model: string): string {
  const configured = process.env.NX_WORKSPACE_DATA_DIRECTORY;
  const dataDir = configured
    ? isAbsolute(configured)
      ? configured
      : resolve(workspaceRoot, configured)
    : join(workspaceRoot, '.nx', 'workspace-data');
  const endpoint = createHash('sha256').update(`${baseURL}\n${model}`).digest('hex').slice(0, 16);
  return join(dataDir, 'nx-phases', 'rate-limit', endpoint);
}
