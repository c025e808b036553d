import type { ExecutorContext } from '@nx/devkit';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { TempWorkspace } from '../../../test-utils/temp-workspace';
import phaseExecutor from '../../phase/executor';
import assembleExecutor from '../executor';

/**
 * A test generator that applies the operations listed for its phase number in its `ops` option:
 * `write` (file, content), `json` (file, key path, value), `jsonDelete` (file, key path), `line` (file, line),
 * `region` (file, region, line: inserted before the region's end marker), `replace` (file, from, to),
 * `copy` (file, ...sources: writes the sources' snapshot text, so a test can see what the phase saw).
 */
const APPLY = `
  const ops = (options.ops || {})[String(options.phase.number)] || [];
  const read = (file) => (tree.exists(file) ? tree.read(file, 'utf8') : undefined);
  for (const [op, file, ...args] of ops) {
    const text = read(file);
    if (op === 'write') tree.write(file, args[0]);
    else if (op === 'json' || op === 'jsonDelete') {
      const root = text === undefined ? {} : JSON.parse(text);
      let node = root;
      for (const key of args[0].slice(0, -1)) node = node[key] = node[key] || {};
      if (op === 'json') node[args[0][args[0].length - 1]] = args[1];
      else delete node[args[0][args[0].length - 1]];
      tree.write(file, JSON.stringify(root, null, 2) + '\\n');
    } else if (op === 'line') tree.write(file, (text || '') + args[0] + '\\n');
    else if (op === 'region') {
      const lines = text.split('\\n');
      const end = lines.findIndex((line) => line.trim() === '// nx-phases:end ' + args[0]);
      lines.splice(end, 0, args[1]);
      tree.write(file, lines.join('\\n'));
    } else if (op === 'replace') tree.write(file, text.split(args[0]).join(args[1]));
    else if (op === 'copy') tree.write(file, args.map((source) => source + ':\\n' + (read(source) || '(none)')).join('\\n'));
    else throw new Error('unknown op ' + op);
  }`;

/** An operation of the `apply` test generator (see APPLY). */
export type Op = [string, string, ...unknown[]];

/** A temp workspace holding one plan at apps/app whose phases run the `apply` generator. */
export class MergeWorkspace {
  readonly ws = new TempWorkspace();
  readonly errors: string[] = [];
  readonly logs: string[] = [];

  constructor() {
    this.ws.installGenerators({ apply: APPLY });
  }

  /** Writes apps/app/phases.json with the given merge declarations, phases and per-phase operations. */
  writePlan(merge: Record<string, string>, phases: object[], ops: Record<number, Op[]>): void {
    this.ws.write('apps/app/phases.json', { name: 'app', generator: { use: 'test-gens:apply', options: { ops } }, merge, phases });
  }

  /** Runs one phase through the phase executor. */
  runPhase(phase: number): Promise<{ success: boolean }> {
    return phaseExecutor({ plan: 'apps/app/phases.json', phase }, this.context());
  }

  /** Runs the plan's aggregate target. */
  assemble(): Promise<{ success: boolean }> {
    return assembleExecutor({ plan: 'apps/app/phases.json' }, this.context());
  }

  /** Reads a file of the app (apps/app/<path>). */
  app(path: string): string {
    return this.ws.read(`apps/app/${path}`);
  }

  /** Every file under apps/app except phases.json, with its content; manifests without their timing fields. */
  files(): Record<string, string> {
    const found: Record<string, string> = {};
    const visit = (dir: string) => {
      for (const name of readdirSync(join(this.ws.root, dir)).sort()) {
        const path = posix.join(dir, name);
        if (statSync(join(this.ws.root, path)).isDirectory()) visit(path);
        else if (name !== 'phases.json') found[path] = name === 'manifest.json' ? withoutTimings(path, this.ws.root) : readFileSync(join(this.ws.root, path), 'utf8');
      }
    };
    visit('apps/app');
    return found;
  }

  dispose(): void {
    this.ws.dispose();
  }

  private context(): ExecutorContext {
    return { root: this.ws.root, cwd: this.ws.root, isVerbose: false, projectsConfigurations: { version: 2, projects: {} }, nxJsonConfiguration: {} } as unknown as ExecutorContext;
  }
}

function withoutTimings(path: string, root: string): string {
  const manifest = JSON.parse(readFileSync(join(root, path), 'utf8'));
  delete manifest.durationMs;
  manifest.usage.waitMs = 0;
  return JSON.stringify(manifest, null, 2);
}
