import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDevBuild } from './build';
import { createFixtureRepo, FixtureRepo } from './test-fixture';

/** What a child process reports after loading the plugin through the dev build. */
interface ChildReport {
  dir: string;
  result: string;
}

/** A node process that builds the fixture's dev plugin, runs its `run` module and prints a ChildReport. */
function startBuilder(repo: string, gate: string): { child: ChildProcess; done: Promise<ChildReport> } {
  const script = `
    const devBuild = require(${JSON.stringify(join(__dirname, 'build.js'))}).createDevBuild(${JSON.stringify(repo)});
    const result = devBuild.load('src/run.js').default();
    process.stdout.write(JSON.stringify({ dir: devBuild.ensureBuilt(), result }));`;
  const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, DEV_BUILD_TEST_GATE: gate }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<ChildReport>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`builder pid ${child.pid} ended with ${signal ?? `exit ${code}`}: ${stderr}`)),
    );
  });
  done.catch(() => undefined); // observed by the test; avoids an unhandled rejection while it waits at the gate
  return { child, done };
}

/** Resolves when `<gate>.arrived-<pid>` exists for every child, or rejects when one of them ends first. */
async function bothArrived(gate: string, builders: { child: ChildProcess; done: Promise<ChildReport> }[]): Promise<void> {
  const arrived = () => builders.every(({ child }) => existsSync(`${gate}.arrived-${child.pid}`));
  while (!arrived()) {
    const ended = builders.find(({ child }) => child.exitCode !== null || child.signalCode !== null);
    if (ended) await ended.done.then(() => Promise.reject(new Error(`builder pid ${ended.child.pid} ended before the gate`)));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The files of a folder, recursively, as relative path -> content. */
function contents(dir: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = join(prefix, entry.name);
    if (entry.isDirectory()) Object.assign(files, contents(dir, rel));
    else files[rel] = readFileSync(join(dir, rel), 'utf8');
  }
  return files;
}

describe('two processes building the dev plugin at once', () => {
  let fixture: FixtureRepo;
  const builders: { child: ChildProcess; done: Promise<ChildReport> }[] = [];

  beforeEach(() => (fixture = createFixtureRepo()));
  afterEach(async () => {
    for (const { child } of builders) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.allSettled(builders.splice(0).map(({ done }) => done));
    fixture.remove();
  });

  it('both get the same complete build, and no half-built folder is ever visible under a build name', async () => {
    const gate = join(fixture.root, 'gate');
    builders.push(startBuilder(fixture.root, gate), startBuilder(fixture.root, gate));
    await bothArrived(gate, builders);

    // Both are in the middle of transpiling, each in its own temp folder: no folder carries a build name yet.
    const cacheRoot = join(fixture.root, 'node_modules', '.cache', 'nx-phases-dev');
    const inProgress = readdirSync(cacheRoot);
    expect(inProgress.filter((name) => /^[0-9a-f]{16}$/.test(name))).toEqual([]);
    expect(inProgress.filter((name) => name.startsWith('.building-'))).toHaveLength(2);

    writeFileSync(`${gate}.open`, '');
    const [first, second] = await Promise.all(builders.map(({ done }) => done));
    expect(first).toEqual({ dir: second.dir, result: 'version 1' });
    expect(second.result).toBe('version 1');
    expect(readdirSync(cacheRoot).filter((name) => name.startsWith('.building-'))).toEqual([]);

    // The build both use holds what a build made alone holds, file for file.
    const shared = contents(first.dir);
    const alone = createFixtureRepo();
    try {
      const aloneDir = createDevBuild(alone.root).ensureBuilt();
      expect(aloneDir.split('/').pop()).toBe(first.dir.split('/').pop());
      expect(shared).toEqual(contents(aloneDir));
      expect(Object.keys(shared).sort()).toEqual(['.build.json', 'executors.json', 'package.json', 'src/run.js', 'src/schema.json', 'src/util.js']);
    } finally {
      alone.remove();
    }
  }, 120_000);
});
