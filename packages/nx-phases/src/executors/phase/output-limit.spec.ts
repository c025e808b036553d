import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { TempWorkspace } from '../../test-utils/temp-workspace';
import { OUTPUT_LIMIT_ENV } from '../../runtime/output-limit';

const RUNNER = join(__dirname, 'test-utils', 'run-executor.ts');
const TSCONFIG = resolve(__dirname, '../../../tsconfig.spec.json');

jest.setTimeout(120_000);

/** Prints about 3 MB (its own writes and a child process's), then fails with a reason. */
const LOUD = `
  const line = 'x'.repeat(1023) + '\\n';
  process.stdout.write('loud phase starts\\n');
  for (let i = 0; i < 1536; i++) process.stdout.write(line);
  await new Promise((done) => {
    const child = require('child_process').spawn('sh', ['-c', 'head -c 1572864 /dev/zero | tr "\\\\0" y'], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (chunk) => process.stdout.write(chunk));
    child.on('close', done);
  });
  throw new Error('the loud phase failed on purpose');`;

describe('nx-phases:phase executor: a phase that prints a lot, in its own task process', () => {
  it('keeps the first and last part of its output within the limit, says how much it dropped, and prints the failure reason', () => {
    const ws = new TempWorkspace();
    try {
      ws.installGenerators({ loud: LOUD });
      ws.write('apps/app/phases.json', { name: 'app', generator: 'test-gens:loud', phases: [{ number: 1, name: 'Loud', plannedFiles: ['src/a.ts'] }] });
      const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', RUNNER, ws.root, 'apps/app/phases.json', '1'], {
        env: { ...process.env, TS_NODE_PROJECT: TSCONFIG, CI: 'true', [OUTPUT_LIMIT_ENV]: '0.25' },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        timeout: 110_000,
      });
      const [printed, result] = child.stdout.split('\nRESULT ');
      expect({ status: child.status, result: result?.trim() }).toEqual({ status: 0, result: '{"success":false}' });
      const all = printed + child.stderr;
      expect(all.length).toBeLessThan(256 * 1024 + 8 * 1024); // the limit, the note, the progress lines
      expect(printed.slice(0, 2048)).toContain('loud phase starts\n' + 'x'.repeat(1023));
      expect(child.stderr).toMatch(/\[nx-phases: 2\.\d MB of this phase's output dropped here: it wrote 3\.\d MB/);
      expect(all).toContain('the loud phase failed on purpose');
      expect(all).toContain('phase 1 of apps/app/phases.json failed and committed nothing');
      expect(ws.exists('apps/app/src/a.ts')).toBe(false);
    } finally {
      ws.dispose();
    }
  });
});
