import type { MergeStrategy } from '../types';

/** Extensions of JSON files (no comments, so no region markers; their lines are not independent). */
const JSON_FILE = /\.(json|webmanifest)$/i;

/** Extensions of source and structured text, where a union of lines is a text merge: use regions. */
const CODE_FILE =
  /\.(tsx?|jsx?|mjs|cjs|mts|cts|css|scss|sass|less|html?|vue|svelte|astro|py|rb|go|rs|java|kt|swift|c|h|cpp|hpp|cs|php|prisma|graphql|gql|sql|ya?ml|toml|mdx?|xml|sh)$/i;

/** Why `strategy` does not fit `file`, with the fix; undefined when it fits. */
export function strategyMisfit(file: string, strategy: MergeStrategy): { message: string; hint: string } | undefined {
  const shown = JSON.stringify(file);
  if (strategy === 'json' && !JSON_FILE.test(file)) {
    return {
      message: `${shown} is not a JSON file (.json), but the "json" strategy parses it as JSON.`,
      hint: CODE_FILE.test(file)
        ? 'Use "regions" for source code (phases add lines between marker comments).'
        : 'Use "lines" for a list of lines such as .env.example or .gitignore, or rename the file to .json.',
    };
  }
  if (strategy === 'lines' && JSON_FILE.test(file)) {
    return { message: `${shown} is a JSON file: a union of its lines would break its structure.`, hint: 'Use "json" (objects merge key by key).' };
  }
  if (strategy === 'lines' && CODE_FILE.test(file)) {
    return {
      message: `${shown} is source code: merging it as a union of lines is a text merge, which can silently break it.`,
      hint: 'Use "regions": the creating phase writes named marker comments, and other phases add lines between them.',
    };
  }
  if (strategy === 'regions' && JSON_FILE.test(file)) {
    return { message: `${shown} is a JSON file, which has no comments for region markers.`, hint: 'Use "json" (objects merge key by key).' };
  }
  return undefined;
}
