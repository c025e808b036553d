import { testPlan } from '../test-utils/report-plan';
import { estimateDurations } from './durations';
import { buildExecutionPlan, type ExecutionPlanReport } from './execution-plan';
import { renderExecutionPlanJson } from './render-json';
import { renderExecutionPlanMermaid } from './render-mermaid';
import { renderExecutionPlanText } from './render-text';

const plan = testPlan([
  [1, 'Setup', [], ['src/App.tsx']],
  [2, 'Database', [1], ['src/db.ts']],
  [3, 'Auth', [1], ['src/auth.ts', 'src/nav.ts']],
  [4, 'Catalog', [1], ['src/catalog.ts', 'src/nav.ts']],
  [5, 'Polish', [2, 3, 4], ['src/App.tsx']],
]);
const measured = new Map([[1, 1000], [2, 4000], [3, 1000], [4, 2000], [5, 1000]]);

describe('buildExecutionPlan', () => {
  it('reports levels, added edges, the critical path and the lower bound in phases', () => {
    const report = buildExecutionPlan(plan, 'apps/shop/phases.json', 3, undefined);
    expect(report.levels.map((level) => level.phases.map((p) => p.number))).toEqual([[1], [2, 3], [4], [5]]);
    expect(report.addedEdges).toEqual([expect.objectContaining({ from: 3, to: 4, file: 'src/nav.ts' })]);
    expect(report.impliedEdges).toEqual([{ from: 1, to: 4, via: 3 }, { from: 3, to: 5, via: 4 }]);
    expect(report.criticalPathByCount).toEqual({ phases: [1, 3, 4, 5], length: 4 });
    expect(report.lowerBoundInPhases).toBe(4);
    expect(report.byTime).toBeUndefined();
  });

  it('adds a time estimate from measured durations', () => {
    const report = buildExecutionPlan(plan, 'apps/shop/phases.json', 2, estimateDurations(plan, measured));
    expect(report.byTime).toEqual({
      criticalPath: { phases: [1, 2, 5], length: 6000 },
      totalWorkMs: 9000,
      lowerBoundMs: 6000,
      measuredPhases: 5,
    });
    expect(buildExecutionPlan(plan, 'x', 1, estimateDurations(plan, measured)).byTime!.lowerBoundMs).toBe(9000);
  });

  it('computes the bound for one worker when the plan is sequential', () => {
    const sequential = testPlan([[1, 'A', []], [2, 'B', []]], { parallel: false });
    const report = buildExecutionPlan(sequential, 'x', 3, undefined);
    expect(report.parallel).toBe(1);
    expect(report.lowerBoundInPhases).toBe(2);
  });
});

describe('renderers', () => {
  // Built before each test, not while Jest collects: StrykerJS switches a mutant on as a test starts.
  let report: ExecutionPlanReport;
  let text: string;
  beforeEach(() => {
    report = buildExecutionPlan(plan, 'apps/shop/phases.json', 3, estimateDurations(plan, measured));
    text = renderExecutionPlanText(plan, report);
  });

  it('prints levels with parallel counts, the added edge, both critical paths and the bound', () => {
    expect(text.split('\n')).toEqual([
      'Execution plan of shop (apps/shop/phases.json): 5 phases in 4 levels',
      '',
      'Level 1: [Setup] (1 phase)',
      'Level 2: [Database, Auth] (2 parallel)',
      'Level 3: [Catalog] (1 phase)',
      'Level 4: [Polish] (1 phase)',
      '',
      'Dependencies added to resolve file conflicts (1):',
      '  - Phase 3 (Auth) and Phase 4 (Catalog) both plan to write src/nav.ts; 4 now runs after 3',
      '',
      'Critical path by phase count (4 phases): Setup → Auth → Catalog → Polish',
      'Critical path by estimated time (6.0 s; 5 of 5 phases measured): Setup → Database → Polish',
      'Lower bound on makespan with --parallel=3: max(4, 5 / 3) = 4 phase durations',
      '  by estimated time: max(6.0 s, 9.0 s / 3) = 6.0 s',
    ]);
  });

  it('says when no durations are known yet', () => {
    const bare = buildExecutionPlan(plan, 'apps/shop/phases.json', 3, undefined);
    expect(renderExecutionPlanText(plan, bare)).toContain('Critical path by estimated time: unknown until a run records durations');
  });

  it('groups phases by level in mermaid subgraphs, draws direct edges only, dashes added edges and marks the critical path', () => {
    const markdown = renderExecutionPlanMermaid(report, text);
    const diagram = markdown.slice(markdown.indexOf('```mermaid'), markdown.indexOf('```text'));
    expect(diagram.split('\n')).toEqual([
      '```mermaid',
      'flowchart LR',
      '  subgraph level1["Level 1 (1 phase)"]',
      '    p1["1. Setup<br/>~1.0 s"]',
      '  end',
      '  subgraph level2["Level 2 (2 parallel)"]',
      '    p2["2. Database<br/>~4.0 s"]',
      '    p3["3. Auth<br/>~1.0 s"]',
      '  end',
      '  subgraph level3["Level 3 (1 phase)"]',
      '    p4["4. Catalog<br/>~2.0 s"]',
      '  end',
      '  subgraph level4["Level 4 (1 phase)"]',
      '    p5["5. Polish<br/>~1.0 s"]',
      '  end',
      '  p1 --> p2',
      '  p1 --> p3',
      '  p3 -. "src/nav.ts" .-> p4',
      '  p2 --> p5',
      '  p4 --> p5',
      '  classDef critical stroke-width:4px;',
      '  class p1,p2,p5 critical;',
      '```',
      '',
      '',
    ]);
    expect(markdown.startsWith('# Execution plan: shop\n')).toBe(true);
    expect(markdown).toContain(text);
  });

  it('escapes quotes in mermaid labels', () => {
    const quoted = testPlan([[1, 'The "core"', []]]);
    const markdown = renderExecutionPlanMermaid(buildExecutionPlan(quoted, 'x', 3, undefined), '');
    expect(markdown).toContain('p1["1. The #quot;core#quot;"]');
  });

  it('writes the report as stable JSON', () => {
    const json = renderExecutionPlanJson(report);
    expect(JSON.parse(json)).toEqual(report);
    expect(json).toBe(renderExecutionPlanJson(buildExecutionPlan(plan, 'apps/shop/phases.json', 3, estimateDurations(plan, measured))));
    expect(json.endsWith('}\n')).toBe(true);
  });
});
