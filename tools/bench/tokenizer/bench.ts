/**
 * Tokenizer benchmark: the time to load gpt-tokenizer's o200k_base encoding and count its first text (in a fresh
 * process, as a phase process pays it), the counting speed on this repository's TypeScript sources, and how many
 * characters one o200k_base token covers there (counted with the package's countTokens, the plugin's own path) (which justifies the fallback's characters / 3).
 *
 *   npx ts-node --transpile-only tools/bench/tokenizer/bench.ts
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { countTokens } from '../../../packages/nx-phases/src/cost';

const root = join(__dirname, '..', '..', '..');

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts')) out.push(path);
  }
  return out;
}

const loadScript = `const t = process.hrtime.bigint(); require('gpt-tokenizer/cjs/encoding/o200k_base').countTokens('hello');
process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
const loads = [1, 2, 3].map(() => Number(execFileSync(process.execPath, ['-e', loadScript], { cwd: root, encoding: 'utf8' })));
const count = (text: string) => countTokens(text, 'gpt-4o').tokens;
const texts = sources(join(root, 'packages', 'nx-phases', 'src')).map((file) => readFileSync(file, 'utf8'));
const characters = texts.reduce((sum, text) => sum + text.length, 0);
const started = process.hrtime.bigint();
const tokens = texts.reduce((sum, text) => sum + count(text), 0);
const countMs = Number(process.hrtime.bigint() - started) / 1e6;
console.log(`o200k_base load + first count (fresh process, 3 runs): ${loads.map((ms) => ms.toFixed(0)).join(', ')} ms`);
console.log(`counted ${texts.length} source files, ${(characters / 1e6).toFixed(2)} M characters: ${tokens} tokens in ${countMs.toFixed(0)} ms`);
console.log(`characters per token: ${(characters / tokens).toFixed(2)} (chars / 4 would say ${Math.ceil(characters / 4)}, chars / 3 says ${Math.ceil(characters / 3)})`);
