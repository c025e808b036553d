import { PlanError, parsePlan } from './index';

/**
 * Every "Fix:" a user reads for a bad plan, asserted as the whole printed line (file, JSON path, message, fix): the
 * hint is the part of the error that tells them what to do, so a changed or lost hint must fail a test.
 */
const FILE = 'apps/shop/phases.json';
const setup = { number: 1, name: 'Setup', domain: 'setup', plannedFiles: ['package.json'] };

/** The printed lines of the error `parsePlan` throws for `plan` (without the count line); nothing is returned. */
function printedProblems(plan: Record<string, unknown>): string[] {
  let thrown: unknown;
  try {
    parsePlan(JSON.stringify({ name: 'shop', phases: [setup], ...plan }), FILE);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(PlanError);
  return (thrown as PlanError).message.split('\n').slice(1);
}

describe('the Fix: hint of each bad plan', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['a plan with no phases', { phases: [] }, 'phases: The plan has no phases. Fix: Add at least one phase, e.g. { "number": 1, "name": "Setup", "domain": "setup" }.'],
    ['two phases with one number', { phases: [setup, { ...setup, name: 'Again', plannedFiles: ['a.txt'] }, { number: 4, name: 'Four', plannedFiles: ['b.txt'] }] }, 'phases[1].number: Phase number 1 is already used by phases[0]. Fix: Give every phase a unique number, e.g. 5.'],
    ['a phase depending on itself', { phases: [{ ...setup, dependencies: [1] }] }, 'phases[0].dependencies[0]: Phase 1 (Setup) depends on itself. Fix: Remove 1 from its own dependencies.'],
    ['a planned file that is a context file', { context: ['docs/brief.md'], phases: [{ ...setup, plannedFiles: ['docs/brief.md'] }] }, 'phases[0].plannedFiles[0]: "docs/brief.md" is a shared context file, which is read-only for every phase. Fix: Remove it from plannedFiles, or remove it from "context" if this phase produces it.'],
    ['a phase without plannedFiles whose predicted file is a context file', { context: ['package.json'], phases: [{ number: 1, name: 'Setup', domain: 'setup' }] }, 'phases[0].plannedFiles: Phase 1 (Setup) has no plannedFiles, and its predicted file "package.json" is a shared context file, which is read-only. Fix: List "plannedFiles" explicitly for this phase, or remove the file from "context".'],
    ['a control character in a path', { phases: [{ ...setup, plannedFiles: ['src/a\u0007.ts'] }] }, 'phases[0].plannedFiles[0]: "src/a\\u0007.ts" contains a control (U+0007) character. Fix: Remove the control character from the path.'],
    ['an absolute path', { phases: [{ ...setup, plannedFiles: ['/etc/passwd'] }] }, 'phases[0].plannedFiles[0]: "/etc/passwd" is an absolute path. Fix: Write the path relative to the folder that holds the plan (the app root), e.g. "src/App.tsx".'],
    ['a folder in plannedFiles', { phases: [{ ...setup, plannedFiles: ['src/'] }] }, 'phases[0].plannedFiles[0]: "src/" does not name a file. Fix: List files, not folders, e.g. "src/App.tsx".'],
    ['the plan file in plannedFiles', { phases: [{ ...setup, plannedFiles: ['phases.json'] }] }, 'phases[0].plannedFiles[0]: "phases.json" is the plan file itself. Fix: Remove it; a phase may not rewrite the plan.'],
    ['a path longer than the record folder allows', { phases: [{ ...setup, plannedFiles: [`${'folder/'.repeat(130)}a.ts`] }] }, `phases[0].plannedFiles[0]: "folder/folder/folder/fol…r/folder/folder/a.ts" is 914 bytes long; nx-phases allows 768, so that its copy in the record folder stays within macOS's 1,024-byte path limit. Fix: Use a shorter path (fewer or shorter folder names).`],
    ['an unknown phase field with no near name', { phases: [{ ...setup, zqxj: true }] }, 'phases[0].zqxj: Unknown field "zqxj". Fix: Remove it. Allowed fields: number, name, domain, description, features, dependencies, plannedFiles, generator, check.'],
    ['an unknown merge strategy with no near name', { merge: { 'package.json': 'qqqq' } }, 'merge["package.json"]: Unknown merge strategy "qqqq". Fix: Use one of: "json", "lines", "regions".'],
    ['an empty phase name', { phases: [{ ...setup, name: '' }] }, 'phases[0].name: Must not be empty. Fix: Write a non-empty value or remove the entry.'],
    ['a JSON file merged as lines', { merge: { 'package.json': 'lines' } }, 'merge["package.json"]: "package.json" is a JSON file: a union of its lines would break its structure. Fix: Use "json" (objects merge key by key).'],
    ['a source file merged as lines', { phases: [{ ...setup, plannedFiles: ['src/routes.tsx'] }, { number: 2, name: 'Two', dependencies: [1], plannedFiles: ['src/routes.tsx'] }], merge: { 'src/routes.tsx': 'lines' } }, 'merge["src/routes.tsx"]: "src/routes.tsx" is source code: merging it as a union of lines is a text merge, which can silently break it. Fix: Use "regions": the creating phase writes named marker comments, and other phases add lines between them.'],
    ['a JSON file merged by regions', { merge: { 'package.json': 'regions' } }, 'merge["package.json"]: "package.json" is a JSON file, which has no comments for region markers. Fix: Use "json" (objects merge key by key).'],
    ['one merged file declared twice', { merge: { 'package.json': 'json', './package.json': 'json' } }, 'merge["./package.json"]: "package.json" is already declared at merge["package.json"]. Fix: Remove the duplicate entry.'],
  ])('%s', (_what, plan, line) => {
    expect(printedProblems(plan)).toContain(`${FILE}: ${line}`);
  });
});
