import type { PlanFigures } from './plans';

/** One variant of a plan: its static figures and, when it ran, what the real run measured (ms). */
export interface VariantResult {
  plan: string;
  files: 'owned' | 'mergeable';
  figures: PlanFigures;
  measured?: {
    /** First phase start to last phase end, from the plugin's last-run report. */
    makespanMs: number;
    /** The whole `nx run-many` command: start-up, every phase and the plan's aggregate target (the merge). */
    wallMs: number;
  };
}

/** The results as a markdown table: owned and mergeable rows of each plan, then merged/owned ratios. */
export function renderMergeTable(rows: VariantResult[], parallel: number): string {
  const s = (ms: number | undefined) => (ms === undefined ? '–' : (ms / 1000).toFixed(1));
  const header = [
    `| plan | shared wiring files | phases | conflict edges | critical path (phases) | Σ latency s | makespan --parallel=${parallel} s (measured) | wall s (whole command) | makespan s (simulated, Nx order, no overhead) |`,
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const lines = rows.map(
    (row) =>
      `| ${row.plan} | ${row.files} | ${row.figures.phases} | ${row.figures.conflictEdges} | ${row.figures.criticalPathPhases} | ${s(row.figures.totalSleepMs)} | ${s(row.measured?.makespanMs)} | ${s(row.measured?.wallMs)} | ${s(row.figures.simulatedMakespanMs)} |`,
  );
  return [...header, ...lines].join('\n');
}

/** Mergeable over owned, per plan: the measured makespan ratio (or the simulated one when nothing ran). */
export function renderRatios(rows: VariantResult[]): string {
  const plans = [...new Set(rows.map((row) => row.plan))];
  return plans
    .map((plan) => {
      const owned = rows.find((row) => row.plan === plan && row.files === 'owned')!;
      const merged = rows.find((row) => row.plan === plan && row.files === 'mergeable')!;
      const measured = owned.measured && merged.measured ? `${(merged.measured.makespanMs / owned.measured.makespanMs).toFixed(2)} measured, ` : '';
      const simulated = (merged.figures.simulatedMakespanMs / owned.figures.simulatedMakespanMs).toFixed(2);
      return `${plan}: mergeable / owned makespan ${measured}${simulated} simulated; critical path ${owned.figures.criticalPathPhases} → ${merged.figures.criticalPathPhases} phases`;
    })
    .join('\n');
}
