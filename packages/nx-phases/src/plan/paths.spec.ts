import { checkPlanPath, normalizePlanPath } from './paths';

describe('normalizePlanPath', () => {
  it.each([
    ['./src/App.tsx', 'src/App.tsx'],
    ['src//lib///db.ts', 'src/lib/db.ts'],
    ['././a/./b.ts', 'a/b.ts'],
    ['package.json', 'package.json'],
    ['.env', '.env'],
    ['src/a/.', 'src/a'],
    ['src/', 'src'],
    ['./', ''],
  ])('%s → %s', (input, expected) => {
    expect(normalizePlanPath(input)).toBe(expected);
  });
});

describe('checkPlanPath', () => {
  it('accepts ordinary relative files, including dotfiles and names that merely contain reserved words', () => {
    for (const file of ['src/App.tsx', '.env.example', 'docs/.gitkeep', 'my.phases/x.ts', 'src/phases.json', 'a..b.ts']) {
      expect(checkPlanPath(file, 'phases.json')).toBeUndefined();
    }
  });

  it('compares reserved names case-insensitively', () => {
    expect(checkPlanPath('.GIT/config', 'phases.json')?.message).toContain('points into .git/');
    expect(checkPlanPath('Node_Modules/x', 'phases.json')?.message).toContain('points into node_modules/');
    expect(checkPlanPath('PHASES.JSON', 'phases.json')?.message).toContain('is the plan file itself');
  });

  it('reserves the plan file under its own name', () => {
    expect(checkPlanPath('shop-plan.json', 'shop-plan.json')?.message).toBe('"shop-plan.json" is the plan file itself.');
  });

  it('names control characters other than NUL by code point', () => {
    expect(checkPlanPath('a\tb.ts', 'phases.json')?.message).toBe('"a\\tb.ts" contains a control (U+0009) character.');
  });

  it('suggests the forward-slash spelling for backslashes', () => {
    expect(checkPlanPath('src\\App.tsx', 'phases.json')?.hint).toBe('Use forward slashes: "src/App.tsx".');
  });
});
