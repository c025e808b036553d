import type { ExecutorContext } from '@nx/devkit';

/** Test generators (bodies for `TempWorkspace.installGenerators`) that the executor specs run as phase generators. */
export const GENERATORS = {
  // Writes each planned file with the phase name and the dependency files it can see.
  echo: `
    const seen = [];
    const walk = (dir) => { for (const c of tree.children(dir)) { const p = dir ? dir + '/' + c : c; tree.isFile(p) ? seen.push(p) : walk(p); } };
    walk('');
    for (const file of options.phase.plannedFiles) {
      const deps = options.dependencies.map((d) => d.number + ':' + d.files.map((f) => f + '=' + tree.read(f, 'utf8')).join(',')).join(';');
      tree.write(file, options.phase.name + '|' + deps + '|' + seen.sort().join(','));
    }`,
  unplanned: `tree.write('src/extra.ts', 'x'); tree.write(options.phase.plannedFiles[0], 'ok');`,
  deleter: `tree.delete('docs/brand.md');`,
  // Content never on disk: Nx's tree records no change for a write equal to the file already there (a /tmp/outside.txt
  // left by a mutant run that let the escape through made this phase succeed).
  escaper: `tree.write('../outside.txt', 'escape ' + process.pid + ' ' + Date.now() + ' ' + Math.random());`,
  linker: `fs.symlinkSync('/etc/passwd', path.join(tree.root, options.phase.plannedFiles[0]));`,
  lazy: `tree.write(options.phase.plannedFiles[0], 'one');`,
  thrower: `tree.write(options.phase.plannedFiles[0], 'partial'); throw new Error('model said no');`,
  // Stands in for another process taking the phase's claim over while this one generates (this one was stopped, say).
  usurper: `
    const dir = path.join(process.env.NX_PHASES_TEST_WORKSPACE, '.nx', 'workspace-data', 'nx-phases', 'single-flight');
    for (const name of fs.readdirSync(dir)) fs.writeFileSync(path.join(dir, name), JSON.stringify({ pid: 1, host: 'elsewhere', token: 'usurper' }));
    for (const file of options.phase.plannedFiles) tree.write(file, 'usurped');`,
};

/** A two-phase plan; phase 2 uses `generatorFor2`. Both phases plan `src/shared.ts`. */
export function plan(generatorFor2 = 'test-gens:echo') {
  return {
    name: 'app',
    generator: 'test-gens:echo',
    context: ['docs/brand.md'],
    phases: [
      { number: 1, name: 'Setup', domain: 'setup', dependencies: [], plannedFiles: ['src/a.ts', 'src/shared.ts'] },
      { number: 2, name: 'Feature', domain: 'feature', dependencies: [1], plannedFiles: ['src/b.ts', 'src/shared.ts'], generator: generatorFor2 },
    ],
  };
}

/** The executor context of a run in the workspace at `root`. */
export function context(root: string): ExecutorContext {
  return {
    root,
    cwd: root,
    isVerbose: false,
    projectName: 'app-1-setup',
    targetName: 'phase',
    projectsConfigurations: { version: 2, projects: {} },
    nxJsonConfiguration: {},
    projectGraph: { nodes: {}, dependencies: {} },
  } as unknown as ExecutorContext;
}

