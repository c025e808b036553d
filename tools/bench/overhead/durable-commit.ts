/**
 * Cost of durable commits: the phase commit (temp files + renames + record + manifest) timed in-process with
 * fsync of every staged file and of the folders they are renamed into (the default) and without it.
 *   npx ts-node --transpile-only tools/bench/overhead/durable-commit.ts
 * Files of 1 KB in the OS temp folder; median of 5 commits per size and mode, modes interleaved.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { commitPhase } from '../../../packages/nx-phases/src/runtime/atomic-commit';
import { emptyUsage, type PhaseManifest } from '../../../packages/nx-phases/src/runtime/manifest';

/** Files per phase commit, from one file to the 2,000-file commit of the kill tests. */
const SIZES = [1, 20, 200, 2000];
const RUNS = 5;

/** One durable/non-durable pair of medians, in milliseconds. */
export interface DurableCommitRow {
  files: number;
  durableMs: number;
  plainMs: number;
}

function snapshotWith(root: string, files: string[]): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const file of files) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), `export const value = ${JSON.stringify(file)};\n`.padEnd(1024, '/'));
    hashes[file] = '0'.repeat(64);
  }
  return hashes;
}

async function timeCommit(workspaceRoot: string, snapshotRoot: string, files: string[], hashes: Record<string, string>, durable: boolean): Promise<number> {
  const manifest: PhaseManifest = {
    plan: 'bench', phase: { number: 1, name: 'Bench' }, files: hashes, features: [], snapshotHash: '0'.repeat(64),
    generator: { use: 'bench', options: {} }, durationMs: 0, usage: emptyUsage(), warnings: [],
  };
  const started = process.hrtime.bigint();
  await commitPhase({ workspaceRoot, appRoot: 'app', phaseNumber: 1, snapshotRoot, written: files, obsolete: [], manifest, fixHint: '', durable });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Measures every size; each commit rewrites the same files, as a re-run of the phase would. */
export async function measureDurableCommits(): Promise<DurableCommitRow[]> {
  const root = mkdtempSync(join(tmpdir(), 'nx-phases-bench-durable-'));
  const rows: DurableCommitRow[] = [];
  try {
    for (const count of SIZES) {
      const files = Array.from({ length: count }, (_, i) => `src/part-${Math.floor(i / 50)}/file-${i}.ts`);
      const snapshotRoot = join(root, `snapshot-${count}`);
      const hashes = snapshotWith(snapshotRoot, files);
      const workspaceRoot = join(root, `workspace-${count}`);
      const durable: number[] = [];
      const plain: number[] = [];
      await timeCommit(workspaceRoot, snapshotRoot, files, hashes, true); // the first commit creates the folders
      for (let run = 0; run < RUNS; run++) {
        durable.push(await timeCommit(workspaceRoot, snapshotRoot, files, hashes, true));
        plain.push(await timeCommit(workspaceRoot, snapshotRoot, files, hashes, false));
      }
      rows.push({ files: count, durableMs: median(durable), plainMs: median(plain) });
    }
    return rows;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The rows as the lines the overhead bench prints. */
export function formatDurableCommits(rows: DurableCommitRow[]): string[] {
  return [
    'durable commit cost (in-process commitPhase, median of 5, 1 KB files; fsync on / off)',
    ...rows.map(
      (row) =>
        `  ${String(row.files).padStart(5)} files: ${row.durableMs.toFixed(1).padStart(8)} ms with fsync, ${row.plainMs.toFixed(1).padStart(8)} ms without` +
        ` (+${(row.durableMs - row.plainMs).toFixed(1)} ms, ${((row.durableMs - row.plainMs) / row.files).toFixed(2)} ms a file)`,
    ),
  ];
}

if (require.main === module) {
  console.log('command: npx ts-node --transpile-only tools/bench/overhead/durable-commit.ts\n');
  void measureDurableCommits().then((rows) => formatDurableCommits(rows).forEach((line) => console.log(line)));
}
