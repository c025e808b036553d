import { statSync } from 'node:fs';
import { join } from 'node:path';
import { TempWorkspace } from '../../test-utils/temp-workspace';
import { context } from './test-utils/phase-fixture';
import phaseExecutor from './executor';

const GENERATORS = {
  // Writes its first planned file as an executable script (mode 0755), straight into the snapshot.
  tool: `
    const file = path.join(tree.root, options.phase.plannedFiles[0]);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '#!/bin/sh\\necho tool\\n');
    fs.chmodSync(file, 0o755);`,
  // Takes the execute bit away from bin/tool without changing its content.
  plain: `fs.chmodSync(path.join(tree.root, 'bin/tool'), 0o644);`,
  // Writes which snapshot files it sees as executable.
  modes: `
    const seen = [];
    const walk = (dir) => { for (const c of tree.children(dir)) { const p = dir ? dir + '/' + c : c; tree.isFile(p) ? seen.push(p) : walk(p); } };
    walk('');
    const executable = seen.filter((p) => (fs.statSync(path.join(tree.root, p)).mode & 0o111) !== 0);
    tree.write('notes.txt', 'executable: ' + executable.join(','));`,
};

function plan(generatorFor2: string) {
  return {
    name: 'app',
    phases: [
      { number: 1, name: 'Tools', generator: 'test-gens:tool', plannedFiles: ['bin/tool'] },
      { number: 2, name: 'Next', dependencies: [1], generator: generatorFor2, plannedFiles: ['bin/tool', 'notes.txt'] },
    ],
  };
}

/** The execute bit is part of a phase's output: kept on commit, recorded, hashed and seen by dependents. */
describe('nx-phases:phase executor and file modes', () => {
  let ws: TempWorkspace;
  const run = (phase: number) => phaseExecutor({ plan: 'apps/app/phases.json', phase }, context(ws.root));
  const mode = (path: string) => statSync(join(ws.root, path)).mode & 0o777;
  const manifest = (n: number) => JSON.parse(ws.read(`apps/app/.phases/${n}/manifest.json`));

  beforeEach(() => {
    ws = new TempWorkspace();
    ws.installGenerators(GENERATORS);
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    ws.dispose();
  });

  it('commits an executable file executable, in the app and the record, and records it', async () => {
    ws.write('apps/app/phases.json', plan('test-gens:modes'));
    await expect(run(1)).resolves.toEqual({ success: true });
    expect(mode('apps/app/bin/tool') & 0o111).not.toBe(0);
    expect(mode('apps/app/.phases/1/files/bin/tool') & 0o111).not.toBe(0);
    expect(manifest(1).executable).toEqual(['bin/tool']);
    expect(ws.read('apps/app/.phases/1/executables.txt')).toBe('bin/tool\n');
  });

  it('gives dependents the recorded mode in their snapshot', async () => {
    ws.write('apps/app/phases.json', plan('test-gens:modes'));
    await run(1);
    await expect(run(2)).resolves.toEqual({ success: true });
    expect(ws.read('apps/app/notes.txt')).toBe('executable: bin/tool');
    expect(manifest(2).executable).toBeUndefined();
    expect(ws.exists('apps/app/.phases/2/executables.txt')).toBe(false);
  });

  it('counts taking the execute bit away as a change, committed and recorded', async () => {
    ws.write('apps/app/phases.json', plan('test-gens:plain'));
    await run(1);
    const digestBefore = ws.read('apps/app/.phases/1/inputs.sha256');
    await expect(run(2)).resolves.toEqual({ success: true });
    expect(Object.keys(manifest(2).files)).toEqual(['bin/tool']);
    expect(ws.read('apps/app/bin/tool')).toBe('#!/bin/sh\necho tool\n');
    expect(mode('apps/app/bin/tool') & 0o111).toBe(0);
    expect(ws.read('apps/app/.phases/2/inputs.sha256')).not.toBe(digestBefore);
  });
});
