import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { COMMIT_TEMP_NAME_EXTRA_BYTES, MAX_NAME_BYTES } from '../plan/paths';
import { TempWorkspace } from '../test-utils/temp-workspace';
import { removeDeadLeftovers, stagingPathFor, tempPathFor } from './leftovers';

describe('commit leftovers', () => {
  let ws: TempWorkspace;
  beforeEach(() => (ws = new TempWorkspace()));
  afterEach(() => ws.dispose());

  it('names temp files exactly COMMIT_TEMP_NAME_EXTRA_BYTES longer than the target, so the plan core limit fits 255 bytes', () => {
    const temp = basename(tempPathFor(join('/app', 'x'.repeat(MAX_NAME_BYTES)), '4194304-0badf00d'));
    expect(Buffer.byteLength(temp)).toBe(MAX_NAME_BYTES + COMMIT_TEMP_NAME_EXTRA_BYTES);
    expect(Buffer.byteLength(temp)).toBe(255);
  });

  it('removes only the temp files and staging folders of dead processes, and never through a symlinked folder', () => {
    const dead = spawnSync('true').pid!;
    const app = join(ws.root, 'app');
    ws.write(`app/src/${basename(tempPathFor('a.ts', `${dead}-0badf00d`))}`, 'half');
    ws.write(`app/src/${basename(tempPathFor('b.ts', `${process.pid}-0badf00d`))}`, 'live');
    ws.write(`app/src/.notes.nx-phases-${dead}.tmp`, 'not ours');
    ws.write(`app/.phases/1/${basename(stagingPathFor('files', `${dead}-0badf00d`))}/src/a.ts`, 'half');
    ws.write(`elsewhere/${basename(tempPathFor('c.ts', `${dead}-0badf00d`))}`, 'outside');
    mkdirSync(join(app, 'linked-parent'));
    symlinkSync(join(ws.root, 'elsewhere'), join(app, 'linked-parent', 'linked'));
    removeDeadLeftovers(app, ['src', '.phases/1', 'linked-parent/linked', 'missing']);
    expect(readdirSync(join(app, 'src')).sort()).toEqual([`.b.ts.nx-phases-${process.pid}-0badf00d.tmp`, `.notes.nx-phases-${dead}.tmp`]);
    expect(readdirSync(join(app, '.phases/1'))).toEqual([]);
    expect(readdirSync(join(ws.root, 'elsewhere'))).toEqual([`.c.ts.nx-phases-${dead}-0badf00d.tmp`]);
  });
});
