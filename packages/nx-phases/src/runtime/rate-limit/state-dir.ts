import { sha256 } from '../hash';
import { workspaceDataPath } from '../workspace-data';

/**
 * The limiter folder for one endpoint: `<Nx workspace data>/nx-phases/rate-limit/<sha256(baseURL\nmodel)[0..16]>`.
 * Every process of the workspace calling the same baseURL+model shares it.
 */
export function rateLimitStateDir(workspaceRoot: string, baseURL: string, model: string): string {
  const endpoint = sha256(`${baseURL}\n${model}`).slice(0, 16);
  return workspaceDataPath(workspaceRoot, 'rate-limit', endpoint);
}
