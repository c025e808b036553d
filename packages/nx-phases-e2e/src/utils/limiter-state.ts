import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One lease or waiter in the limiter's shared state (the fields the e2e tests look at). */
export interface LimiterHolder {
  id: string;
  pid: number;
  sentAt?: number;
}

/** The parts of `state.json` the e2e tests read. */
export interface LimiterStateFile {
  leases: LimiterHolder[];
  waiters: LimiterHolder[];
  starts: Array<{ id: string; at: number }>;
  pausedUntil: number;
}

/** The folder holding one state folder per endpoint: `<workspace>/.nx/workspace-data/nx-phases/rate-limit`. */
export function limiterRoot(workspaceRoot: string): string {
  return join(workspaceRoot, '.nx', 'workspace-data', 'nx-phases', 'rate-limit');
}

/** Every endpoint's limiter state in a workspace (none before the first openai request); unreadable files are skipped. */
export function readLimiterStates(workspaceRoot: string): LimiterStateFile[] {
  const root = limiterRoot(workspaceRoot);
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((endpoint) => {
    try {
      return [JSON.parse(readFileSync(join(root, endpoint, 'state.json'), 'utf8')) as LimiterStateFile];
    } catch {
      return [];
    }
  });
}
