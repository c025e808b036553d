import { strategyMisfit } from './file-kinds';

const NOT_JSON_CODE = 'Use "regions" for source code (phases add lines between marker comments).';
const NOT_JSON_TEXT = 'Use "lines" for a list of lines such as .env.example or .gitignore, or rename the file to .json.';

describe('strategyMisfit', () => {
  it.each(['package.json', 'tsconfig.JSON', 'public/site.webmanifest', 'a/b/Manifest.WebManifest'])('takes %s as a JSON file', (file) => {
    expect(strategyMisfit(file, 'json')).toBeUndefined();
    expect(strategyMisfit(file, 'lines')).toEqual({ message: `${JSON.stringify(file)} is a JSON file: a union of its lines would break its structure.`, hint: 'Use "json" (objects merge key by key).' });
    expect(strategyMisfit(file, 'regions')).toEqual({ message: `${JSON.stringify(file)} is a JSON file, which has no comments for region markers.`, hint: 'Use "json" (objects merge key by key).' });
  });

  it.each(['config.json.example', 'json', 'notes.jsonl', 'xjson', '.jsonrc'])('does not take %s as a JSON file', (file) => {
    expect(strategyMisfit(file, 'json')).toEqual({ message: `${JSON.stringify(file)} is not a JSON file (.json), but the "json" strategy parses it as JSON.`, hint: NOT_JSON_TEXT });
    expect(strategyMisfit(file, 'lines')).toBeUndefined();
    expect(strategyMisfit(file, 'regions')).toBeUndefined();
  });

  it.each(['src/routes.tsx', 'src/App.TS', 'styles/site.scss', 'db/schema.prisma', 'ci.yml', 'ci.yaml', 'README.md', 'docs/page.mdx', 'run.sh', 'index.html', 'a.htm'])(
    'takes %s as source code',
    (file) => {
      expect(strategyMisfit(file, 'json')).toEqual({ message: `${JSON.stringify(file)} is not a JSON file (.json), but the "json" strategy parses it as JSON.`, hint: NOT_JSON_CODE });
      expect(strategyMisfit(file, 'lines')).toEqual({
        message: `${JSON.stringify(file)} is source code: merging it as a union of lines is a text merge, which can silently break it.`,
        hint: 'Use "regions": the creating phase writes named marker comments, and other phases add lines between them.',
      });
      expect(strategyMisfit(file, 'regions')).toBeUndefined();
    },
  );

  it.each(['.env.example', '.gitignore', 'src/routes.tsx.orig', 'ts', 'notes.txt', 'xts'])('takes %s as a list of lines', (file) => {
    expect(strategyMisfit(file, 'json')?.hint).toBe(NOT_JSON_TEXT);
    expect(strategyMisfit(file, 'lines')).toBeUndefined();
  });
});
