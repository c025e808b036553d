import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TempWorkspace } from '../test-utils/temp-workspace';
import { validManifest } from '../test-utils/manifest';
import { emptyUsage, ManifestError, MissingRecordError, readManifest, readPreviousManifest } from './manifest';

describe('reading a manifest from disk', () => {
  let ws: TempWorkspace;
  const location = () => ({ workspaceRoot: ws.root, appRoot: 'apps/shop', phaseNumber: 4 });
  const fix = 'Fix: delete the folder apps/shop/.phases/4 (make sure apps/shop/.phases is a real folder, not a symlink) and run phase 4 again with --skip-nx-cache.';
  const head = 'apps/shop/.phases/4/manifest.json is not a valid nx-phases manifest, so nothing was read, written or deleted through it (it may have been edited by hand, by a commit or by a shared cache):';
  const errorOf = (run: () => unknown): Error => {
    try {
      run();
    } catch (error) {
      return error as Error;
    }
    throw new Error('no error');
  };
  beforeEach(() => (ws = new TempWorkspace()));
  afterEach(() => ws.dispose());

  it('returns a valid manifest as written', () => {
    const manifest = validManifest({ phase: { number: 4, name: 'Cart' } });
    ws.write('apps/shop/.phases/4/manifest.json', manifest);
    expect(readManifest(location(), 'Phase 4 (Cart)')).toEqual(manifest);
  });

  it('says which phase to run when there is no manifest; readPreviousManifest gives undefined', () => {
    const error = errorOf(() => readManifest(location(), 'Phase 4 (Cart)'));
    expect(error).toBeInstanceOf(MissingRecordError);
    expect(error.message).toBe('Phase 4 (Cart) has no committed output (apps/shop/.phases/4/manifest.json is missing). Run its "phase" target first; Nx does this for you through dependsOn.');
    expect(readPreviousManifest(location())).toBeUndefined();
  });

  it('refuses text that is not JSON, naming the file, the parser error and the fix', () => {
    ws.write('apps/shop/.phases/4/manifest.json', '{ "plan": ');
    const error = errorOf(() => readPreviousManifest(location()));
    expect(error).toBeInstanceOf(ManifestError);
    expect(error.message).toBe(`${head}\n  - it is not valid JSON (Unexpected end of JSON input)\n${fix}`);
  });

  it('refuses a manifest nested too deep without parsing it', () => {
    ws.write('apps/shop/.phases/4/manifest.json', `{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
    const error = errorOf(() => readPreviousManifest(location()));
    expect(error).toBeInstanceOf(ManifestError);
    expect(error.message.split('\n')[1]).toMatch(/^ {2}- .*nest/i);
    expect(error.message).not.toContain('not valid JSON');
  });

  it('lists the first 5 problems of a wrong shape and counts the rest', () => {
    ws.write('apps/shop/.phases/4/manifest.json', {});
    const lines = errorOf(() => readPreviousManifest(location())).message.split('\n');
    expect(lines[0]).toBe(head);
    expect(lines.slice(1, 6)).toEqual([
      '  - "plan" must be a string, got nothing',
      '  - "phase" must be an object { number, name } with a positive whole number, got nothing',
      '  - "features" must be an array of strings, got nothing',
      '  - "snapshotHash" must be a sha256 in hex, got nothing',
      '  - "generator" must be an object with a "use" string, got nothing',
    ]);
    expect(lines[6]).toMatch(/^ {2}- … and \d+ more \(\d+ in total\)$/);
    expect(lines[7]).toBe(fix);
  });

  it('refuses a manifest with a single problem', () => {
    ws.write('apps/shop/.phases/4/manifest.json', { ...validManifest({ phase: { number: 4, name: 'Cart' } }), durationMs: -1 });
    expect(errorOf(() => readPreviousManifest(location())).message).toBe(`${head}\n  - "durationMs" must be a non-negative number, got -1\n${fix}`);
  });

  it('refuses a manifest reached through a symlinked .phases folder, reading nothing through it', () => {
    const outside = mkdtempSync(join(tmpdir(), 'nx-phases-outside-'));
    try {
      ws.write('apps/shop/phases.json', '{}');
      symlinkSync(outside, join(ws.root, 'apps/shop/.phases'));
      const error = errorOf(() => readPreviousManifest(location()));
      expect(error).toBeInstanceOf(ManifestError);
      expect(error.message).toBe(`${head}\n  - ".phases" is a symlink, so ".phases/4/manifest.json" could land outside the app root.\n${fix}`);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('gives zero usage for generators without LLM calls', () => {
    expect(emptyUsage()).toEqual({ calls: 0, retries: 0, promptTokens: 0, completionTokens: 0, waitMs: 0 });
  });
});
