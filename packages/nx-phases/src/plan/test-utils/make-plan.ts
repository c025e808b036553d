import { parsePlan } from '../parse';
import type { PhaseDocument, PhasePlan } from '../types';

/** Parses a plan named "test" with the given phases (plannedFiles default to none, not predicted). */
export function makePlan(phases: Array<Partial<PhaseDocument> & { number: number }>, extra: object = {}): PhasePlan {
  const documents = phases.map((phase) => ({ name: `P${phase.number}`, plannedFiles: [], ...phase }));
  return parsePlan(JSON.stringify({ name: 'test', ...extra, phases: documents }), 'phases.json');
}
