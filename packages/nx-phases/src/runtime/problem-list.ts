/** How many problems an error message lists before it summarises the rest. */
export const LISTED_PROBLEMS = 20;

/**
 * Problems as `  - <problem>` lines; beyond `limit`, the first `limit` and a last line counting the rest, so an
 * error about 5,000 files stays a screenful instead of being cut off mid-line by the terminal or CI log.
 */
export function formatProblemList(problems: string[], limit = LISTED_PROBLEMS): string {
  const lines = problems.slice(0, limit).map((problem) => `  - ${problem}`);
  if (problems.length > limit) lines.push(`  - … and ${(problems.length - limit).toLocaleString('en-US')} more (${problems.length.toLocaleString('en-US')} in total)`);
  return lines.join('\n');
}
