import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import type { Phase } from '../../plan/types';
import { FsTree } from '../../runtime/nx-tree';
import type { DependencyOutput, PhaseRuntime } from '../../runtime/phase-generator';
import commandGenerator from './generator';
import { listFiles } from './context-file';
import { processStat } from './process-group';
import type { CommandGeneratorSchema } from './schema';

jest.setTimeout(30_000);

let snapshot: string;
beforeEach(() => {
  snapshot = mkdtempSync(join(tmpdir(), 'nx-phases-command-'));
});
afterEach(() => rmSync(snapshot, { recursive: true, force: true }));

const checkout: Phase = {
  number: 7,
  name: 'Checkout',
  domain: 'feature',
  description: 'Pay for the cart.',
  features: ['Checkout form'],
  dependencies: [3],
  plannedFiles: ['src/pages/checkout.tsx'],
  predictedFiles: false,
};
const dependencies: DependencyOutput[] = [{ number: 3, name: 'Auth', domain: 'auth', features: ['Login'], files: ['src/auth/useAuth.ts'] }];

function options(command: string, extra: Partial<CommandGeneratorSchema> = {}): CommandGeneratorSchema {
  return { command, plan: { name: 'shop', appRoot: 'apps/shop' }, phase: checkout, dependencies, context: ['docs/brief.md'], ...extra };
}

function writeSnapshotFile(file: string, content: string): void {
  mkdirSync(dirname(join(snapshot, file)), { recursive: true });
  writeFileSync(join(snapshot, file), content);
}

const read = (file: string) => readFileSync(join(snapshot, file), 'utf-8');

describe('nx-phases:command', () => {
  it('runs in the snapshot with the phase in env, context file and stdin; its files are the output', async () => {
    writeSnapshotFile('src/auth/useAuth.ts', 'export {};\n');
    writeSnapshotFile('docs/brief.md', '# Brief\n');
    const command = [
      'cat > stdin.json',
      'cp "$NX_PHASES_CONTEXT_FILE" context.json',
      'printf "%s\\n" "$NX_PHASES_PHASE_NUMBER" "$NX_PHASES_PLAN_NAME" "$NX_PHASES_CONTEXT_FILE" "$HOME" > env.txt',
      'mkdir -p src/pages && echo "export function CheckoutPage() { return null; }" > src/pages/checkout.tsx',
    ].join('; ');
    await commandGenerator(new FsTree(snapshot, false), options(command));

    const [phaseNumber, planName, contextFile, home] = read('env.txt').trimEnd().split('\n');
    expect([phaseNumber, planName, home]).toEqual(['7', 'shop', process.env.HOME ?? '']);
    expect(isAbsolute(contextFile) && !contextFile.startsWith(snapshot)).toBe(true);
    expect(existsSync(contextFile)).toBe(false);

    const expected = { plan: { name: 'shop' }, phase: checkout, dependencies, files: ['docs/brief.md', 'src/auth/useAuth.ts'] };
    expect(JSON.parse(read('context.json'))).toEqual(expected);
    expect(read('stdin.json')).toBe(read('context.json'));
    expect(read('src/pages/checkout.tsx')).toContain('CheckoutPage');
    expect(listFiles(snapshot)).toEqual(['context.json', 'docs/brief.md', 'env.txt', 'src/auth/useAuth.ts', 'src/pages/checkout.tsx', 'stdin.json']);
  });

  it('lists only regular files in the context: symlinks to files or folders are neither listed nor followed', async () => {
    writeSnapshotFile('docs/brief.md', '# Brief\n');
    symlinkSync('brief.md', join(snapshot, 'docs/brief-link.md'));
    symlinkSync('docs', join(snapshot, 'docs-link'));
    await commandGenerator(new FsTree(snapshot, false), options('cp "$NX_PHASES_CONTEXT_FILE" context.json'));

    expect(JSON.parse(read('context.json')).files).toEqual(['docs/brief.md']);
    expect(listFiles(snapshot)).toEqual(['context.json', 'docs/brief.md']);
  });

  it('streams the output to the executor and fails with the phase, the exit code and the tail of stderr', async () => {
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const failing = options('echo "agent: editing src/pages/checkout.tsx"; echo "agent: model quota exceeded" >&2; exit 2');
    const written = (spy: jest.SpyInstance) => spy.mock.calls.map(([chunk]) => String(chunk)).join('');
    const error = await commandGenerator(new FsTree(snapshot, false), failing).catch((e: Error) => e);
    const output = { stdout: written(stdout), stderr: written(stderr) };
    stdout.mockRestore();
    stderr.mockRestore();
    expect(output).toEqual({ stdout: 'agent: editing src/pages/checkout.tsx\n', stderr: 'agent: model quota exceeded\n' });
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^Phase 7 "Checkout": the command exited with code 2\. .*\nLast stderr:\nagent: model quota exceeded$/s);
  });

  it('times out, killing the grandchildren too', async () => {
    const slow = options('sleep 30 & echo $! > grandchild.pid; wait', { timeoutMs: 300 });
    await expect(commandGenerator(new FsTree(snapshot, false), slow)).rejects.toThrow(
      'Phase 7 "Checkout": the command timed out after 300 ms; its process group was stopped.',
    );
    const grandchild = processStat(Number(read('grandchild.pid')));
    expect(grandchild === undefined || grandchild.state === 'Z').toBe(true);
  });

  it('stops when the runtime signal aborts', async () => {
    const controller = new AbortController();
    const runtime = { signal: controller.signal, progress: jest.fn() } as unknown as PhaseRuntime;
    const running = commandGenerator(new FsTree(snapshot, false), options('sleep 30', { runtime }));
    setTimeout(() => controller.abort(), 200);
    await expect(running).rejects.toThrow('Phase 7 "Checkout": the command was cancelled; its process group was stopped.');
    expect(runtime.progress).toHaveBeenCalledWith('Running the command (timeout 600000 ms)');
  });

  it('explains a missing or empty command and a bad timeout', async () => {
    const tree = new FsTree(snapshot, false);
    await expect(commandGenerator(tree, options('  '))).rejects.toThrow(
      'Phase 7 "Checkout": nx-phases:command needs a "command" option with a shell command, e.g. "generator": { "use": "nx-phases:command", "options": { "command": "my-agent --phase $NX_PHASES_PHASE_NUMBER" } } in phases.json.',
    );
    await expect(commandGenerator(tree, options('true', { timeoutMs: -1 }))).rejects.toThrow(
      'Phase 7 "Checkout": nx-phases:command option "timeoutMs" must be a positive whole number of milliseconds (got -1); for example "timeoutMs": 600000.',
    );
  });

  it('names the plan file and the JSON path of the options when the executor passes them', async () => {
    const tree = new FsTree(snapshot, false);
    const runtime = { where: { planFile: 'apps/shop/phases.json', jsonPath: 'phases[2].generator.options' } } as unknown as PhaseRuntime;
    await expect(commandGenerator(tree, options('', { runtime }))).rejects.toThrow(
      'Phase 7 "Checkout": nx-phases:command needs a "command" option with a shell command: set phases[2].generator.options.command in apps/shop/phases.json, e.g. "generator": { "use": "nx-phases:command", "options": { "command": "my-agent --phase $NX_PHASES_PHASE_NUMBER" } }.',
    );
    const planLevel = { where: { planFile: 'apps/shop/phases.json', jsonPath: 'generator.options' } } as unknown as PhaseRuntime;
    await expect(commandGenerator(tree, options('true', { timeoutMs: 1.5, runtime: planLevel }))).rejects.toThrow(
      'Phase 7 "Checkout": nx-phases:command option "timeoutMs" must be a positive whole number of milliseconds (got 1.5) at generator.options.timeoutMs in apps/shop/phases.json; for example "timeoutMs": 600000.',
    );
  });

  it('asks for the executor when run without a phase', async () => {
    await expect(commandGenerator(new FsTree(snapshot, false), { command: 'true' } as never)).rejects.toThrow(
      'nx-phases:command is a phase generator',
    );
  });
});
