import { findNestedPlans } from './nested-plans';

const problem = (file: string, message: string, hint: string) => ({ file, path: '(root)', message, hint });

describe('findNestedPlans', () => {
  it('reports a plan inside another plan to both plans, naming both files, with the fix', () => {
    const hint = "Move apps/shop/inner/phases.json out of apps/shop, or make its phases part of apps/shop/phases.json; a plan's app root may neither contain nor lie inside another plan's.";
    const found = findNestedPlans(['apps/shop/phases.json', 'apps/shop/inner/phases.json', 'apps/other/phases.json']);
    expect(found).toEqual(
      new Map([
        [
          'apps/shop/inner/phases.json',
          [
            problem(
              'apps/shop/inner/phases.json',
              "This plan's app root apps/shop/inner lies inside apps/shop, the app root of apps/shop/phases.json: plans cannot nest (the outer plan's phases could write the inner plan's files and records).",
              hint,
            ),
          ],
        ],
        [
          'apps/shop/phases.json',
          [
            problem(
              'apps/shop/phases.json',
              "This plan's app root apps/shop contains apps/shop/inner, the app root of apps/shop/inner/phases.json: plans cannot nest (this plan's phases could write the inner plan's files and records).",
              hint,
            ),
          ],
        ],
      ]),
    );
  });

  it('calls the workspace root by name, and a plan there contains every other plan', () => {
    const found = findNestedPlans(['phases.json', 'apps/a/phases.json']);
    expect(found.get('phases.json')).toEqual([
      problem(
        'phases.json',
        "This plan's app root the workspace root contains apps/a, the app root of apps/a/phases.json: plans cannot nest (this plan's phases could write the inner plan's files and records).",
        "Move apps/a/phases.json out of the workspace root, or make its phases part of phases.json; a plan's app root may neither contain nor lie inside another plan's.",
      ),
    ]);
    expect(found.get('apps/a/phases.json')?.map((p) => p.message)).toEqual([
      "This plan's app root apps/a lies inside the workspace root, the app root of phases.json: plans cannot nest (the outer plan's phases could write the inner plan's files and records).",
    ]);
  });

  it('gives a plan between two others one problem per other plan', () => {
    const found = findNestedPlans(['a/b/c/phases.json', 'a/phases.json', 'a/b/phases.json']);
    expect([...found.keys()].sort()).toEqual(['a/b/c/phases.json', 'a/b/phases.json', 'a/phases.json']);
    expect(found.get('a/b/phases.json')?.map((p) => p.message.split(':')[0])).toEqual([
      "This plan's app root a/b contains a/b/c, the app root of a/b/c/phases.json",
      "This plan's app root a/b lies inside a, the app root of a/phases.json",
    ]);
    expect(found.get('a/phases.json')).toHaveLength(2);
    expect(found.get('a/b/c/phases.json')).toHaveLength(2);
  });

  it('leaves plans that merely share a name prefix, sit side by side or are listed twice', () => {
    expect(findNestedPlans(['apps/shop/phases.json', 'apps/shop-admin/phases.json', 'apps/shop/phases.json', 'libs/shop/phases.json'])).toEqual(new Map());
    expect(findNestedPlans(['phases.json', './phases.json'])).toEqual(new Map());
    expect(findNestedPlans([])).toEqual(new Map());
  });

  it('reads Windows separators as folders', () => {
    const found = findNestedPlans(['apps\\shop\\phases.json', 'apps\\shop\\inner\\phases.json']);
    expect([...found.keys()].sort()).toEqual(['apps/shop/inner/phases.json', 'apps/shop/phases.json']);
    expect(found.get('apps/shop/phases.json')?.[0].message).toContain('apps/shop contains apps/shop/inner');
  });
});
