import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Workload } from '../schedule/workload';

/**
 * The entries of the e2e phase command (packages/nx-phases-e2e/src/fixtures/phase-command.js) that a workload's
 * merged files in the app should hold but do not, as `file: entry`: `phases.p<n>` in a json file, `PHASE_<n>=<name>`
 * in a lines file and `p<n>: "<name>",` in a regions file, for every phase that plans the file. Empty when the
 * aggregate target merged every contribution (and for a workload without mergeable files).
 */
export function missingContributions(appDir: string, workload: Workload): string[] {
  const missing: string[] = [];
  for (const [file, strategy] of Object.entries(workload.merge ?? {})) {
    const path = join(appDir, file);
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    for (const phase of workload.phases.filter((p) => p.plannedFiles.includes(file))) {
      const entry = expectedEntry(strategy, phase.number, phase.name);
      if (!entry.isIn(text)) missing.push(`${file}: ${entry.label}`);
    }
  }
  return missing;
}

function expectedEntry(strategy: string, number: number, name: string): { label: string; isIn: (text: string) => boolean } {
  if (strategy === 'json') {
    return { label: `phases.p${number}`, isIn: (text) => text !== '' && (JSON.parse(text) as { phases?: Record<string, string> }).phases?.[`p${number}`] === name };
  }
  const line = strategy === 'lines' ? `PHASE_${number}=${name}` : `p${number}: ${JSON.stringify(name)},`;
  return { label: line, isIn: (text) => text.split('\n').some((candidate) => candidate.trim() === line) };
}
