import { linesKey, phaseWiring } from '../../../plan';
import type { ScaffoldContext } from '../context';

/**
 * .env.example: the snapshot's lines (or a header when it has none), plus the variables this phase needs
 * (`phaseWiring`) that are not set yet. Only ever adds lines, so it works as a mergeable `lines` file.
 */
export function envExampleTemplate(ctx: ScaffoldContext, path: string): string {
  const existing = ctx.read(path);
  const lines =
    existing === undefined
      ? [`# Environment variables of ${ctx.planName}: copy this file to .env and fill in the values.`]
      : existing.split(/\r?\n/).filter((line) => line.trim() !== '');
  const keys = new Set(lines.map(linesKey));
  for (const line of phaseWiring(ctx.phase).env) {
    if (!keys.has(linesKey(line))) lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}
