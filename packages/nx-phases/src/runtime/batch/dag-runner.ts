/** One unit of work in a dependency graph. */
export interface DagJob {
  id: string;
  /** Ids of jobs (of the same graph) that must succeed before this one starts; other ids are ignored. */
  dependencies: string[];
  /** Higher starts first among ready jobs (e.g. the longest remaining path). */
  priority: number;
  /** Runs alone: never together with any other job (Nx's `parallelism: false`). */
  exclusive?: boolean;
}

/** How a job ended. `skipped` jobs never ran because a dependency failed or was skipped. */
export interface DagOutcome {
  id: string;
  status: 'success' | 'failure' | 'skipped';
  startTime?: number;
  endTime?: number;
  /** For a skipped job: the dependency whose failure stopped it. */
  blockedBy?: string;
}

/** Runs one job; resolves true on success. A rejection counts as a failure. */
export type RunJob = (job: DagJob) => Promise<boolean>;

/**
 * Runs a dependency graph of jobs with at most `parallel` at once: a job starts as soon as its own
 * dependencies have succeeded (never level by level), ready jobs by descending priority (then input order).
 * A failed job fails alone: its transitive dependents are reported `skipped`, every other job still runs.
 * Yields each outcome as soon as it is known, in completion order; ends when every job has an outcome.
 */
export async function* runDag(jobs: DagJob[], parallel: number, run: RunJob): AsyncGenerator<DagOutcome> {
  const state = new DagState(jobs);
  const finished: DagOutcome[] = [];
  let wake: (() => void) | undefined;
  let running = 0;
  let exclusiveRunning = false;
  const start = (job: DagJob) => {
    running++;
    exclusiveRunning = Boolean(job.exclusive);
    const startTime = Date.now();
    run(job)
      .catch(() => false)
      .then((success) => {
        running--;
        exclusiveRunning = false;
        finished.push({ id: job.id, status: success ? 'success' : 'failure', startTime, endTime: Date.now() });
        wake?.();
      });
  };
  while (state.pending > 0) {
    for (let next = state.nextReady(); next; next = state.nextReady()) {
      if (exclusiveRunning || running >= Math.max(1, parallel) || (next.exclusive && running > 0)) break;
      state.take(next);
      start(next);
    }
    if (running === 0 && finished.length === 0) throw new Error(`runDag: ${state.pending} jobs can never start (a dependency cycle).`);
    if (finished.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    for (const outcome of finished.splice(0)) {
      for (const settled of state.settle(outcome)) yield settled;
    }
  }
}

/** Bookkeeping of `runDag`: what is ready, what waits on what, what is skipped. */
class DagState {
  private readonly byId: Map<string, DagJob>;
  private readonly waitingOn = new Map<string, number>();
  private readonly dependents = new Map<string, string[]>();
  private readonly order = new Map<string, number>();
  private readonly ready: DagJob[] = [];
  pending: number;

  constructor(jobs: DagJob[]) {
    this.byId = new Map(jobs.map((job) => [job.id, job]));
    this.pending = jobs.length;
    jobs.forEach((job, index) => {
      this.order.set(job.id, index);
      const inGraph = [...new Set(job.dependencies)].filter((dep) => this.byId.has(dep) && dep !== job.id);
      this.waitingOn.set(job.id, inGraph.length);
      for (const dep of inGraph) this.dependents.set(dep, [...(this.dependents.get(dep) ?? []), job.id]);
    });
    for (const job of jobs) if (this.waitingOn.get(job.id) === 0) this.ready.push(job);
  }

  /** The ready job with the highest priority (ties: input order), without removing it. */
  nextReady(): DagJob | undefined {
    let best: DagJob | undefined;
    for (const job of this.ready) if (!best || this.before(job, best)) best = job;
    return best;
  }

  /** Marks a ready job as started. */
  take(job: DagJob): void {
    this.ready.splice(this.ready.indexOf(job), 1);
  }

  /** Records a finished job; returns its outcome plus the outcomes of dependents that can now never run. */
  settle(outcome: DagOutcome): DagOutcome[] {
    this.pending--;
    if (outcome.status === 'success') {
      for (const id of this.dependents.get(outcome.id) ?? []) {
        const left = this.waitingOn.get(id)! - 1;
        this.waitingOn.set(id, left);
        if (left === 0) this.ready.push(this.byId.get(id)!);
      }
      return [outcome];
    }
    return [outcome, ...this.skipDependents(outcome.id)];
  }

  private skipDependents(failed: string): DagOutcome[] {
    const skipped: DagOutcome[] = [];
    const queue = [...(this.dependents.get(failed) ?? [])];
    while (queue.length > 0) {
      const id = queue.shift()!;
      if (this.waitingOn.get(id)! < 0) continue;
      this.waitingOn.set(id, -1);
      this.pending--;
      skipped.push({ id, status: 'skipped', blockedBy: failed });
      queue.push(...(this.dependents.get(id) ?? []));
    }
    return skipped;
  }

  private before(a: DagJob, b: DagJob): boolean {
    return a.priority !== b.priority ? a.priority > b.priority : this.order.get(a.id)! < this.order.get(b.id)!;
  }
}
