import { readFileSync } from 'node:fs';
import { commandGenerator } from './utils/phase-command';
import { writePlan, type PlanDocument } from './utils/plan-file';
import { createScenario } from './utils/scenario';
import { withOutput } from './utils/with-output';

/** Section 5 "Graph" and "Metadata": plan edges + auto-fix edges in `nx graph`, tags and metadata in `nx show project`. */
describe('nx graph and nx show project', () => {
  const scenario = createScenario('graph');
  const { workspace } = scenario;
  // Phases 2 and 3 both depend only on 1 and both plan src/shared.ts: a conflict, so 3 must gain an edge to 2.
  const plan: PlanDocument = {
    name: 'site',
    generator: commandGenerator(scenario.command()),
    phases: [
      { number: 1, name: 'Setup', domain: 'setup', features: ['Shell'], plannedFiles: ['src/app.ts'] },
      { number: 2, name: 'Header', features: ['Logo'], dependencies: [1], plannedFiles: ['src/shared.ts', 'src/header.ts'] },
      { number: 3, name: 'Footer', features: ['Links'], dependencies: [1], plannedFiles: ['src/shared.ts', 'src/footer.ts'] },
      { number: 4, name: 'Home Page', domain: 'polish', features: ['Hero'], dependencies: [2, 3], plannedFiles: ['src/page.ts'] },
      { number: 5, name: 'Solo', features: ['Alone'], plannedFiles: ['src/solo.ts'] },
    ],
  };
  let firstGraphRun: ReturnType<typeof workspace.nx>;
  const readGraph = () =>
    JSON.parse(readFileSync(workspace.path('graph.json'), 'utf8')) as {
      graph: {
        nodes: Record<string, { data: { tags?: string[] } }>;
        dependencies: Record<string, Array<{ target: string }>>;
      };
    };

  beforeAll(() => {
    writePlan(workspace.root, 'apps/site', plan);
    workspace.commitAll('site plan');
    firstGraphRun = workspace.nx(['graph', '--file=graph.json']);
  });

  it('7. has exactly the plan edges plus the auto-fix edge; root phases depend on the plan project', () => {
    const graph = readGraph();
    const projects = new Set(Object.keys(graph.graph.nodes));
    const edges = Object.fromEntries(
      Object.entries(graph.graph.dependencies)
        .filter(([source]) => projects.has(source))
        .map(([source, deps]) => [source, deps.map((d) => d.target).filter((t) => projects.has(t)).sort()]),
    );
    expect(edges).toEqual({
      site: [],
      'site-1-setup': ['site'],
      'site-2-header': ['site-1-setup'],
      'site-3-footer': ['site-1-setup', 'site-2-header'],
      'site-4-home-page': ['site-2-header', 'site-3-footer'],
      'site-5-solo': ['site'],
    });
  });

  it('7. prints the auto-fix warning once, naming the file', () => {
    withOutput(firstGraphRun, () => {
      const warnings = firstGraphRun.output.split('\n').filter((line) => line.includes('both plan to write src/shared.ts'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('apps/site/phases.json');
    });
  });

  it('8. a phase project has the tags, metadata and a cached phase target', () => {
    const project = workspace.showProject('site-3-footer');
    expect(project.root).toBe('apps/site/.phases/3');
    expect([...project.tags].sort()).toEqual(['nx-phases', 'phase-domain:feature', 'phase-level:3', 'phase-plan:site'].sort());
    expect(project.metadata.technologies).toContain('nx-phases');
    expect(project.metadata.description).toContain('Footer');
    expect(project.metadata.description).toContain('Links');
    expect(project.metadata.description).toMatch(/Depends on 2 because both write src\/shared\.ts/);
    const target = project.targets.phase;
    expect(target.executor).toBe('nx-phases:phase-io'); // a command phase: batched by default
    expect(target.cache).toBe(true);
    expect(target.options).toEqual({ plan: 'apps/site/phases.json', phase: 3, generator: 'nx-phases:command', fingerprint: expect.any(String) });
    expect(target.dependsOn).toEqual([{ target: 'phase', projects: ['site-1-setup', 'site-2-header'] }]);
    expect(target.outputs).toEqual(
      expect.arrayContaining(['{workspaceRoot}/apps/site/src/shared.ts', '{workspaceRoot}/apps/site/src/footer.ts', '{projectRoot}/manifest.json']),
    );
    expect(target.metadata.description).toContain('Footer');
    expect(target.metadata.technologies).toContain('nx-phases');
    expect(target.metadata.help).toBeDefined();
  });

  it('8. the levels (after the auto-fix edge) show in the tags of every phase', () => {
    const { nodes } = readGraph().graph;
    const levels = Object.fromEntries(
      Object.entries(nodes).map(([name, node]) => [name, node.data.tags?.find((t) => t.startsWith('phase-level:')) ?? null]),
    );
    expect(levels).toEqual({
      site: null,
      'site-1-setup': 'phase-level:1',
      'site-2-header': 'phase-level:2',
      'site-3-footer': 'phase-level:3',
      'site-4-home-page': 'phase-level:4',
      'site-5-solo': 'phase-level:1',
    });
    expect(workspace.showProjects(['--projects=tag:phase-level:1'])).toEqual(['site-1-setup', 'site-5-solo']);
  });

  it('8. the plan project carries the aggregate phase target', () => {
    const project = workspace.showProject('site');
    expect(project.root).toBe('apps/site');
    expect(project.targets.phase).toMatchObject({ executor: 'nx-phases:assemble', cache: false, options: { plan: 'apps/site/phases.json' } });
    expect(project.targets.phase.metadata.technologies).toContain('nx-phases');
  });
});
