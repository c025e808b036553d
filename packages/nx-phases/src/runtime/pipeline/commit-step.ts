import { counted } from '../counted';
import { commitPhase } from '../atomic-commit';
import { throwIfCancelled } from '../cancellation';
import type { PhaseManifest } from '../manifest';
import { contributionHashes, contributionsText } from '../merge/contribution-record';
import { obsoleteFiles } from '../obsolete-files';
import { assertSameAsPublished, publishSharedResult } from '../store/shared-result';
import { required, type PhaseRunState } from './state';
import type { PhaseStep } from './step';

/** Writes the validated output and the phase's manifest into the app root atomically. */
export const commitStep: PhaseStep = {
  name: 'commit',
  title: () => 'Committing',
  async run(state, title) {
    throwIfCancelled();
    await required(state, 'claim').assertHeld();
    const loaded = required(state, 'loaded');
    const phase = required(state, 'phase');
    const output = required(state, 'output');
    const contributions = required(state, 'contributions');
    const manifest = phaseManifest(state);
    if (state.shared) {
      assertSameAsPublished(state.shared, required(state, 'store'), manifest);
    }
    await commitPhase({
      workspaceRoot: state.request.workspaceRoot,
      appRoot: loaded.appRoot,
      phaseNumber: phase.number,
      snapshotRoot: required(state, 'snapshot').root,
      written: output.written,
      obsolete: obsoleteFiles(state.request.workspaceRoot, loaded, phase, output.written),
      manifest: state.shared?.manifest ?? manifest,
      contributions: contributions.size > 0 ? contributionsText(contributions) : undefined,
      fixHint: required(state, 'fixHint'),
    });
    title(`Committing (${counted(output.written.length, 'file')})`);
    if (state.store && !state.shared && state.request.fingerprint) await publish(state, manifest);
  },
};

/** The manifest recorded with the phase's files. */
function phaseManifest(state: PhaseRunState): PhaseManifest {
  const loaded = required(state, 'loaded');
  const phase = required(state, 'phase');
  const output = required(state, 'output');
  const contributions = required(state, 'contributions');
  return {
    plan: loaded.plan.name,
    phase: { number: phase.number, name: phase.name },
    files: output.hashes,
    ...(output.executable.length > 0 ? { executable: output.executable } : {}),
    features: phase.features,
    snapshotHash: required(state, 'snapshot').hash,
    ...(state.request.fingerprint ? { fingerprint: state.request.fingerprint } : {}),
    generator: required(state, 'generator'),
    durationMs: Date.now() - state.started,
    usage: state.usage,
    ...(state.cost ? { cost: state.cost } : {}),
    ...(state.waits.length > 0 ? { waits: state.waits } : {}),
    warnings: output.warnings,
    ...(state.checks.length > 0 ? { checks: state.checks, segments: state.segments } : {}),
    ...(contributions.size > 0 ? { contributions: contributionHashes(contributions) } : {}),
  };
}

/** Offers the committed result to other machines; a lost Redis only costs them a generation (the commit stands). */
async function publish(state: PhaseRunState, manifest: PhaseManifest): Promise<void> {
  const loaded = required(state, 'loaded');
  const phase = required(state, 'phase');
  const snapshot = required(state, 'snapshot');
  const id = { planFile: loaded.planFile, phaseNumber: phase.number, fingerprint: state.request.fingerprint ?? '', snapshotHash: snapshot.hash };
  try {
    await publishSharedResult(required(state, 'store'), id, phase, snapshot, manifest);
  } catch (error) {
    console.warn(`nx-phases: phase ${phase.number} is committed here, but could not be offered to other machines: ${(error as Error).message.split('. Nothing was committed')[0]}.`);
  }
}
