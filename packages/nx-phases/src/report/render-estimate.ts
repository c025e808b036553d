import { formatUsd, roundUsdAmounts, type PlanEstimate } from '../cost';
import { formatDuration } from './format-duration';

/** The estimate as a table: one row per phase, then the totals, the critical path's expected time and the price table's date. */
export function renderEstimateText(estimate: PlanEstimate): string {
  const rows = estimate.phases.map((phase) => [
    String(phase.number),
    phase.name.length > 28 ? `${phase.name.slice(0, 27)}…` : phase.name,
    phase.cached ? 'cached' : 'runs',
    phase.model ?? shortGenerator(phase.generator),
    phase.promptTokens === undefined ? '-' : `${phase.promptExact ? '' : '~'}${phase.promptTokens.toLocaleString('en-US')}${phase.pendingDependencies ? '+' : ''}`,
    phase.outputAllowanceTokens === undefined ? '-' : `${(phase.expectedOutputTokens ?? 0).toLocaleString('en-US')} / ${phase.outputAllowanceTokens.toLocaleString('en-US')}`,
    usd(phase.expectedUsd),
    usd(phase.worstCaseUsd),
  ]);
  const header = ['#', 'phase', 'status', 'model', 'prompt tokens', 'output exp. / max', 'expected', 'worst case'];
  const total = ['', 'total', '', '', '', '', usd(estimate.expectedUsd, estimate.knownExpectedUsd), usd(estimate.worstCaseUsd, estimate.knownWorstCaseUsd)];
  const lines = [
    `Cost estimate of ${estimate.plan} (${estimate.planFile}), prices of ${estimate.priceTableDate}; nothing was sent`,
    '',
    ...table([header, ...rows, total]),
    '',
    `Already cached (cost $0): ${estimate.cachedPhases.length ? estimate.cachedPhases.join(', ') : 'none'}`,
    ...notes(estimate),
    estimate.criticalPath
      ? `Critical path, expected time (by the durations earlier runs recorded; cached phases at 0): ${formatDuration(estimate.criticalPath.expectedMs)} (${chain(estimate, estimate.criticalPath.phases)})`
      : 'Critical path, expected time: unknown until a run records durations in the manifests.',
  ];
  return lines.join('\n');
}

/** The estimate as JSON for CI (`phase-estimate.json`): amounts in USD rounded to 6 decimals, null where unknown. */
export function renderEstimateJson(estimate: PlanEstimate): string {
  return `${JSON.stringify(estimate, roundUsdAmounts, 2)}\n`;
}

function chain(estimate: PlanEstimate, phases: number[]): string {
  const names = new Map(estimate.phases.map((phase) => [phase.number, phase.name]));
  return phases.map((n) => names.get(n) ?? String(n)).join(' → ');
}

function notes(estimate: PlanEstimate): string[] {
  const lines: string[] = [];
  const pending = estimate.phases.filter((p) => !p.cached && (p.pendingDependencies ?? 0) > 0).map((p) => p.number);
  if (pending.length) lines.push(`+ prompt counted before its dependencies ran (their files as paths only; it grows, up to maxContextTokens): ${pending.join(', ')}`);
  if (estimate.phases.some((p) => p.promptExact === false)) lines.push('~ no tokenizer for the model: characters / 3 (characters / 4 plus a 33 % margin)');
  const guessed = estimate.phases.filter((p) => !p.cached && p.outputBasis === 'per planned file').map((p) => p.number);
  if (guessed.length) lines.push(`Expected output guessed per planned file (no earlier run; --outputTokensPerFile): ${guessed.join(', ')}`);
  const schema = [...new Set(estimate.phases.filter((p) => !p.cached && p.schemaTokens !== undefined).map((p) => p.schemaTokens))];
  if (schema.length) lines.push(`Worst case counts the reply schema every call sends (response_format): ${schema.join(' / ')} tokens a call`);
  for (const unknown of estimate.unknown) lines.push(`Unknown cost of phase ${unknown.number}: ${unknown.reason}`);
  return lines;
}

function usd(amount: number | null, known?: number): string {
  if (amount !== null) return formatUsd(amount);
  return known !== undefined && known > 0 ? `≥ ${formatUsd(known)}` : 'unknown';
}

function shortGenerator(use: string): string {
  return use.startsWith('nx-phases:') ? use.slice('nx-phases:'.length) : use;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const numeric = new Set([0, 4, 5, 6, 7]);
  return rows.map((row) =>
    row.map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd(),
  );
}
