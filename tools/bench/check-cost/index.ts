/**
 * What the demo's type-check costs: real `nx run-many -t phase --parallel=3 --skip-nx-cache` on the packed plugin,
 * the offline demo shop (packages/demo-shop) as committed (with its "check") and the same plan without it, runs
 * interleaved, medians; also the per-phase check durations its manifests record.
 *   npx ts-node --transpile-only tools/bench/check-cost/index.ts [rounds=3]
 * Prints a markdown table and the machine load (`uptime`) before and after.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareBenchArea, REPO_ROOT, seconds } from '../lib/bench-workspace';
import type { E2eWorkspace } from '../../../packages/nx-phases-e2e/src/utils/e2e-workspace';

/** The demo plan as committed, and the same plan with its check removed. */
function demoPlans(): { checked: object; unchecked: object } {
  const checked = JSON.parse(readFileSync(join(REPO_ROOT, 'packages', 'demo-shop', 'phases.json'), 'utf8')) as Record<string, unknown>;
  if (!checked.check) throw new Error('packages/demo-shop/phases.json declares no "check": nothing to measure.');
  const { check: _check, ...unchecked } = checked;
  return { checked, unchecked };
}

/** A workspace holding the demo at apps/shop with `plan` as its phases.json. */
function demoWorkspace(ws: E2eWorkspace, plan: object): E2eWorkspace {
  cpSync(join(REPO_ROOT, 'packages', 'demo-shop', 'docs'), ws.path('apps', 'shop', 'docs'), { recursive: true });
  writeFileSync(ws.path('apps', 'shop', 'phases.json'), JSON.stringify(plan, null, 2));
  ws.commitAll('demo plan');
  return ws;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Each demo phase's recorded check duration (ms) after a run. */
function checkDurations(ws: E2eWorkspace): number[] {
  return Array.from({ length: 14 }, (_, i) => JSON.parse(readFileSync(ws.path('apps', 'shop', '.phases', String(i + 1), 'manifest.json'), 'utf8')).checks[0].durationMs as number);
}

function main(): void {
  const rounds = Number(process.argv[2] ?? 3);
  const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
  const before = uptime();
  const area = prepareBenchArea('check-cost');
  try {
    const plans = demoPlans();
    const withCheck = demoWorkspace(area.workspace('with-check'), plans.checked);
    const without = demoWorkspace(area.workspace('without-check'), plans.unchecked);
    const args = ['--parallel=3', '--skip-nx-cache'];
    for (const ws of [withCheck, without]) ws.runPhases(args); // warm: graph cache, file system
    const times = { withCheck: [] as number[], without: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      times.without.push(seconds(() => without.runPhases(args)));
      times.withCheck.push(seconds(() => withCheck.runPhases(args)));
    }
    const checks = checkDurations(withCheck);
    const sequential = seconds(() => withCheck.runPhases(['--parallel=1', '--skip-nx-cache']));
    const sequentialWithout = seconds(() => without.runPhases(['--parallel=1', '--skip-nx-cache']));
    const [a, b] = [median(times.without), median(times.withCheck)];
    console.log(`| offline demo (14 phases), nx run-many -t phase --skip-nx-cache | without check | with "tsc --noEmit -p tsconfig.json" | added |`);
    console.log(`|---|---|---|---|`);
    console.log(`| --parallel=3, median of ${rounds} (interleaved) | ${a.toFixed(1)} s | ${b.toFixed(1)} s | +${(b - a).toFixed(1)} s (${((b / a - 1) * 100).toFixed(0)} %) |`);
    console.log(`| --parallel=1, one run each | ${sequentialWithout.toFixed(1)} s | ${sequential.toFixed(1)} s | +${(sequential - sequentialWithout).toFixed(1)} s |`);
    console.log(`\nper-phase check (manifests of the last --parallel=3 run): median ${(median(checks) / 1000).toFixed(2)} s, min ${(Math.min(...checks) / 1000).toFixed(2)} s, max ${(Math.max(...checks) / 1000).toFixed(2)} s, sum ${(checks.reduce((s, x) => s + x, 0) / 1000).toFixed(1)} s`);
    console.log(`raw --parallel=3 runs: without ${times.without.map((t) => t.toFixed(1)).join(', ')}; with ${times.withCheck.map((t) => t.toFixed(1)).join(', ')}`);
  } finally {
    area.dispose();
  }
  console.log(`load before: ${before}\nload after:  ${uptime()}`);
}

main();
