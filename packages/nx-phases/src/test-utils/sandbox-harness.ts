/// <reference types="jest" />
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import commandGenerator from '../generators/command/generator';
import type { CommandGeneratorSchema } from '../generators/command/schema';
import type { Phase } from '../plan/types';
import { FsTree } from '../runtime/nx-tree';

/** The phase every sandbox spec runs. */
export const SANDBOX_PHASE: Phase = {
  number: 4,
  name: 'Tools',
  domain: 'feature',
  description: '',
  features: [],
  dependencies: [],
  plannedFiles: ['out.txt'],
  predictedFiles: false,
};

/** Where the spec's phase options are written, as the executor passes it. */
export const SANDBOX_WHERE = { planFile: 'apps/shop/phases.json', jsonPath: 'phases[3].generator.options' };

/** Folders of one sandbox spec: a snapshot, a workspace (with node_modules and `.nx`) and a sentinel outside both. */
export interface SandboxHarness {
  snapshot: string;
  workspace: string;
  sentinel: string;
  /** Runs nx-phases:command in the snapshot (sandboxed unless `sandbox` is false), with the workspace as workspace root. */
  run(command: string, sandbox?: CommandGeneratorSchema['sandbox']): Promise<void>;
  /** `name=content` of every file in the sentinel. */
  sentinelListing(): string[];
  /** A file the command wrote into the snapshot. */
  read(path: string): string;
}

/**
 * Registers hooks creating fresh folders before each test and removing them after it; stderr writes are
 * silenced. The workspace holds `node_modules/dep/index.js` (exports "dep") and an empty `.nx` folder.
 */
export function useSandboxHarness(): SandboxHarness {
  const harness = {} as SandboxHarness;
  beforeEach(() => {
    harness.snapshot = mkdtempSync(join(tmpdir(), 'nx-phases-sandbox-spec-'));
    harness.workspace = mkdtempSync(join(tmpdir(), 'nx-phases-sandbox-ws-'));
    harness.sentinel = mkdtempSync(join(tmpdir(), 'nx-phases-sentinel-'));
    writeFileSync(join(harness.sentinel, 'keep.txt'), 'original');
    mkdirSync(join(harness.workspace, 'node_modules', 'dep'), { recursive: true });
    writeFileSync(join(harness.workspace, 'node_modules', 'dep', 'index.js'), "module.exports = 'dep';\n");
    mkdirSync(join(harness.workspace, '.nx'));
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    for (const folder of [harness.snapshot, harness.workspace, harness.sentinel]) rmSync(folder, { recursive: true, force: true });
  });
  harness.run = (command, sandbox = true) =>
    commandGenerator(new FsTree(harness.snapshot, false), {
      command,
      sandbox,
      plan: { name: 'shop', appRoot: 'apps/shop' },
      phase: SANDBOX_PHASE,
      dependencies: [],
      context: [],
      runtime: { where: SANDBOX_WHERE, workspaceRoot: harness.workspace, progress: () => undefined } as unknown as CommandGeneratorSchema['runtime'],
    });
  harness.sentinelListing = () => readdirSync(harness.sentinel).map((name) => `${name}=${readFileSync(join(harness.sentinel, name), 'utf8')}`);
  harness.read = (path) => readFileSync(join(harness.snapshot, path), 'utf8');
  return harness;
}

/** A `node -e` command line running `script` (single quotes are not allowed in it). */
export function nodeCommand(script: string): string {
  if (script.includes("'")) throw new Error('nodeCommand: use double quotes in the script');
  return `node -e '${script}'`;
}
