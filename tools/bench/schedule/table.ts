import type { Comparison } from './compare';

const LB_GOAL = 1.1;
const BARRIER_GOAL = 0.9;

/** The results as a markdown table, with the goals checked: makespan/LB ≤ 1.10, ours/level-barrier ≤ 0.90 on random DAGs. */
export function renderTable(rows: Comparison[]): string {
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const header = [
    '| plan | phases | levels (widest) | Σ durations s | --parallel=1 s | --parallel=3 s | LB s | makespan / LB | speed-up vs --parallel=1 | average concurrency (Σ / makespan) | level-barrier s (sim) | ours / level-barrier | Nx greedy s (sim) | critical-path greedy s (sim) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const lines = rows.map((row) => {
    const toLb = row.makespanPkMs / row.lowerBoundMs;
    const toBarrier = row.makespanPkMs / row.levelBarrierMs;
    const barrierGoal = row.plan.startsWith('demo') ? '' : mark(toBarrier <= BARRIER_GOAL);
    return `| ${row.plan} | ${row.phases} | ${row.levels} (${row.widestLevel}) | ${s(row.sequentialMs)} | ${s(row.makespanP1Ms)} | ${s(row.makespanPkMs)} | ${s(row.lowerBoundMs)} | ${toLb.toFixed(3)} ${mark(toLb <= LB_GOAL)} | ${(row.makespanP1Ms / row.makespanPkMs).toFixed(2)}× | ${(row.sequentialMs / row.makespanPkMs).toFixed(2)}× | ${s(row.levelBarrierMs)} | ${toBarrier.toFixed(3)} ${barrierGoal} | ${s(row.nxGreedyMs)} | ${s(row.criticalPathGreedyMs)} |`;
  });
  return [...header, ...lines].join('\n');
}

function mark(ok: boolean): string {
  return ok ? '✓' : '✗';
}

/** Wall time of the whole `nx run-many -t phase --parallel=3` command, without and with --batch (start-up, hashing and caching included). */
export function renderWallTable(rows: Array<{ plan: string; plainMs: number; batchMs: number }>): string {
  const s = (ms: number) => (ms / 1000).toFixed(1);
  return [
    '| plan | wall s, --parallel=3 | wall s, --batch --parallel=3 | ratio |',
    '|---|---:|---:|---:|',
    ...rows.map((row) => `| ${row.plan} | ${s(row.plainMs)} | ${s(row.batchMs)} | ${(row.batchMs / row.plainMs).toFixed(3)} |`),
  ].join('\n');
}
