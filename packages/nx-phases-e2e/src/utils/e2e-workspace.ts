import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { git, gitCommitAll } from './git';
import { nxEnv } from './nx-env';
import { parseTaskOutcomes, plansThatAssembled, projectsThatRan, type TaskOutcome } from './nx-output';
import { describeProcess, runProcess, type ProcessResult } from './run-process';

/** The result of an nx run: the process, plus how each `phase` task was reported. */
export interface NxRun extends ProcessResult {
  outcomes: Map<string, TaskOutcome>;
  /** Projects whose `phase` task ran its executor (not restored from cache). */
  ran: string[];
  /** Plans whose aggregate target (`<plan>:phase`, which merges the shared files) ran. */
  assembled: string[];
}

/**
 * A temp Nx workspace with the packed plugin available; every scenario gets its own.
 * nx runs with HOME set to `home`: Nx 23 keeps the cache and its database in `~/.nx/<workspace id>/`
 * (shared by every checkout of a repository), so a private HOME keeps them inside the suite's temp
 * folder, where teardown removes them, and lets a clone share them like a second CI machine would.
 */
export class E2eWorkspace {
  constructor(
    readonly root: string,
    readonly home: string,
  ) {}

  /** Absolute path inside the workspace. */
  path(...parts: string[]): string {
    return join(this.root, ...parts);
  }

  /** Runs `nx <args>` with the suite's environment; throws (with the output) on failure unless `allowFailure`. */
  nx(args: string[], options: { allowFailure?: boolean; env?: NodeJS.ProcessEnv } = {}): NxRun {
    const result = runProcess(process.execPath, [nxBin(this.root), ...args], {
      cwd: this.root,
      env: nxEnv({ HOME: this.home, ...options.env }),
      allowFailure: options.allowFailure,
    });
    const outcomes = parseTaskOutcomes(result.output);
    return { ...result, outcomes, ran: projectsThatRan(outcomes), assembled: plansThatAssembled(result.output) };
  }

  /** `nx run-many -t phase` with parseable (static) output, plus extra flags such as `--parallel=3`. */
  runPhases(extraArgs: string[] = [], options: { allowFailure?: boolean; env?: NodeJS.ProcessEnv } = {}): NxRun {
    return this.nx(['run-many', '-t', 'phase', '--outputStyle=static', ...extraArgs], options);
  }

  /** `nx show project <name> --json`, parsed. */
  showProject(name: string): Record<string, any> {
    const result = this.nx(['show', 'project', name, '--json']);
    return parseJsonOutput(result);
  }

  /** `nx show projects <args> --json`, parsed and sorted. */
  showProjects(args: string[] = []): string[] {
    const result = this.nx(['show', 'projects', ...args, '--json']);
    return (parseJsonOutput(result) as string[]).sort();
  }

  /** Task id → hash and cache status of the last nx run, from the `run.json` Nx writes in its cache folder. */
  lastRunTasks(): Map<string, { hash: string; cacheStatus: string }> {
    const run = JSON.parse(readFileSync(this.runJsonPath(), 'utf8')) as {
      tasks: Array<{ taskId: string; hash: string; cacheStatus: string }>;
    };
    return new Map(run.tasks.map((t) => [t.taskId, { hash: t.hash, cacheStatus: t.cacheStatus }]));
  }

  /** The cache folder's run.json: `~/.nx/<id>/cache` (Nx 23's default), else the checkout's `.nx/cache`. */
  private runJsonPath(): string {
    const shared = join(this.home, '.nx');
    const candidates = existsSync(shared)
      ? readdirSync(shared).map((id) => join(shared, id, 'cache', 'run.json'))
      : [];
    const found = [...candidates, this.path('.nx', 'cache', 'run.json')].filter((path) => existsSync(path));
    if (found.length === 0) throw new Error(`No run.json under ${shared} or ${this.path('.nx', 'cache')}: has nx run a task here?`);
    return found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  }

  /** Commits every change (for `affected`). */
  commitAll(message: string): void {
    gitCommitAll(this.root, message);
  }

  /** Commits only the given workspace-relative paths, so `affected` sees exactly that change. */
  commitPaths(message: string, paths: string[]): void {
    git(this.root, ['add', '--', ...paths]);
    git(this.root, ['commit', '--quiet', '--no-verify', '-m', message, '--', ...paths]);
  }
}

/** The nx CLI entry point installed in a workspace (read from nx's package.json `bin`). */
export function nxBin(root: string): string {
  const packageJson = JSON.parse(readFileSync(join(root, 'node_modules', 'nx', 'package.json'), 'utf8')) as { bin: { nx: string } };
  return join(root, 'node_modules', 'nx', packageJson.bin.nx);
}

function parseJsonOutput(result: ProcessResult): any {
  const start = result.stdout.search(/[[{]/);
  try {
    return JSON.parse(result.stdout.slice(start));
  } catch {
    throw new Error(`Expected JSON on stdout.\n${describeProcess(result)}`);
  }
}
