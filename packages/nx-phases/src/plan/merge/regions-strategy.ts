import { ContributionError, ForbiddenEditError, MergeConflictError, shownValue } from './errors';
import { regionLineKeys } from './line-keys';
import { parseRegions, regionLineProblem, regionsOf, renderRegions, RegionSyntaxError, skeletonText, type Region, type RegionsDocument } from './regions-format';
import { contributorLabel, type Contributor, type ForbiddenEdit, type RecordedContribution, type RegionLines, type RegionsContribution } from './types';

/**
 * What a phase added to a `regions` file. The creating phase (`base` undefined) records its skeleton and the lines
 * of its regions. Any other phase may only add lines inside the regions: a changed text outside them, a removed
 * line, or a line giving a key of the region a second value is a forbidden edit.
 */
export function extractRegionsContribution(file: string, base: string | undefined, version: string): RegionsContribution {
  const document = parseOrForbid(file, version);
  const edits: ForbiddenEdit[] = [];
  if (base === undefined) {
    const regions = regionsOf(document).map((region) => ({ name: region.name, lines: addedLines(region, [], edits) }));
    if (edits.length > 0) throw new ForbiddenEditError(file, 'regions', edits);
    return { strategy: 'regions', skeleton: skeletonText(document), regions: regions.filter((r) => r.lines.length > 0) };
  }
  const given = parseRegions(base);
  compareSkeletons(skeletonText(given), skeletonText(document), edits);
  const regions: RegionLines[] = [];
  if (edits.length === 0) {
    const versionRegions = new Map(regionsOf(document).map((region) => [region.name, region]));
    for (const region of regionsOf(given)) {
      const lines = addedLines(versionRegions.get(region.name)!, region.lines, edits);
      if (lines.length > 0) regions.push({ name: region.name, lines });
    }
  }
  if (edits.length > 0) throw new ForbiddenEditError(file, 'regions', edits);
  return { strategy: 'regions', regions };
}

/**
 * Merges contributions into one text: the creating phase's skeleton with every region holding the lines the
 * phases added, in phase-number order then each phase's own order, without repeats. Two different lines sharing a
 * key in one region throw `MergeConflictError`; a missing or second creator, or an unknown region, `ContributionError`.
 */
export function mergeRegionsContributions(file: string, recorded: readonly RecordedContribution[]): string {
  const sorted = [...recorded].sort((a, b) => a.by.number - b.by.number);
  const creators = sorted.filter(({ contribution }) => (contribution as RegionsContribution).skeleton !== undefined);
  if (creators.length !== 1) {
    const problem =
      creators.length === 0
        ? 'no recorded contribution creates the file (the phase that creates it planned it but did not write it).'
        : `${creators.map(({ by }) => contributorLabel(by)).join(' and ')} both create it; only one phase may.`;
    throw new ContributionError(file, creators[1]?.by, problem);
  }
  const document = parseSkeleton(file, creators[0]);
  const regions = new Map(regionsOf(document).map((region) => [region.name, { region, owners: new Map<string, { line: string; by: Contributor }>() }]));
  const lineOwners = new Map<string, Contributor>();
  for (const { by, contribution } of sorted) {
    for (const { name, lines } of (contribution as RegionsContribution).regions) {
      const target = regions.get(name);
      if (!target) throw new ContributionError(file, by, `it adds to region "${name}", which ${contributorLabel(creators[0].by)} does not create.`);
      for (const line of lines) {
        addMergedLine(file, target, line, by);
        if (!lineOwners.has(`${name}\n${line}`)) lineOwners.set(`${name}\n${line}`, by);
      }
    }
  }
  const text = renderRegions(document);
  checkReparsed(file, text, document, creators[0].by, lineOwners);
  return text;
}

/**
 * Parses the merged text again and checks that every region of the creator's skeleton reads back with exactly the
 * merged lines, so no contribution can close a region early, open a second one or put code outside the regions
 * (a marker line inside a region always leaves a marker unpaired or a region name repeated: a syntax error).
 * Throws `ContributionError` naming the phase whose line breaks it.
 */
function checkReparsed(file: string, text: string, merged: RegionsDocument, creator: Contributor, lineOwners: Map<string, Contributor>): void {
  const ownerOf = (region: string, line: string) => lineOwners.get(`${region}\n${line}`) ?? creator;
  let reparsed: RegionsDocument;
  try {
    reparsed = parseRegions(text);
  } catch (error) {
    if (!(error instanceof RegionSyntaxError)) throw error;
    // The skeleton parses on its own, so a region line holding a marker or a line break broke it: blame the first.
    const [culprit] = regionsOf(merged).flatMap((region) => region.lines.filter((line) => regionLineProblem(line)).map((line) => ({ region: region.name, line })));
    throw new ContributionError(file, ownerOf(culprit.region, culprit.line), `its line ${shownValue(culprit.line)} breaks the regions of the merged file (${error.message}).`);
  }
  const after = new Map(regionsOf(reparsed).map((region) => [region.name, region.lines]));
  for (const region of regionsOf(merged)) {
    const lines = after.get(region.name) ?? [];
    const index = region.lines.findIndex((line, i) => lines[i] !== line);
    if (index === -1 && lines.length === region.lines.length) continue;
    const line = region.lines[index === -1 ? region.lines.length - 1 : index];
    throw new ContributionError(file, ownerOf(region.name, line), `its line ${shownValue(line)} in region "${region.name}" does not read back as written from the merged file.`);
  }
}

function addMergedLine(
  file: string,
  target: { region: Region; owners: Map<string, { line: string; by: Contributor }> },
  line: string,
  by: Contributor,
): void {
  if (target.region.lines.includes(line)) return;
  for (const key of regionLineKeys(line)) {
    const owner = target.owners.get(key);
    if (owner) throw new MergeConflictError(file, `region "${target.region.name}", entry ${shownValue(key)}`, { by: owner.by, value: shownValue(owner.line) }, { by, value: shownValue(line) });
  }
  for (const key of regionLineKeys(line)) target.owners.set(key, { line, by });
  target.region.lines.push(line);
}

function parseSkeleton(file: string, creator: RecordedContribution): RegionsDocument {
  try {
    const document = parseRegions((creator.contribution as RegionsContribution).skeleton!);
    if (regionsOf(document).some((region) => region.lines.length > 0)) throw new RegionSyntaxError(1, 'its skeleton has lines inside a region.');
    return document;
  } catch (error) {
    if (!(error instanceof RegionSyntaxError)) throw error;
    throw new ContributionError(file, creator.by, `its skeleton is malformed (${error.message}).`);
  }
}

/** The lines of `region` that `given` lacks, reporting removed lines and second values for keys. */
function addedLines(region: Region, given: readonly string[], edits: ForbiddenEdit[]): string[] {
  const where = `region "${region.name}"`;
  for (const line of given) {
    if (!region.lines.includes(line)) edits.push({ entry: `${where}, line ${shownValue(line)}`, message: 'removed (or changed).' });
  }
  const keys = new Map<string, string>();
  for (const line of given) for (const key of regionLineKeys(line)) keys.set(key, line);
  const added: string[] = [];
  for (const line of region.lines) {
    if (given.includes(line) || added.includes(line)) continue;
    const clash = regionLineKeys(line).find((key) => keys.has(key));
    if (clash !== undefined) {
      edits.push({ entry: `${where}, line ${shownValue(line)}`, message: `gives ${shownValue(clash)} a second value (the region has ${shownValue(keys.get(clash))}).` });
      continue;
    }
    for (const key of regionLineKeys(line)) keys.set(key, line);
    added.push(line);
  }
  return added;
}

/** Reports the first line where the text outside the regions differs from the file the phase was given. */
function compareSkeletons(given: string, version: string, edits: ForbiddenEdit[]): void {
  if (given === version) return;
  const [a, b] = [given.split('\n'), version.split('\n')];
  let index = 0;
  while (index < a.length && a[index] === b[index]) index++;
  const expected = index < a.length ? shownValue(a[index]) : 'the end of the file';
  const found = index < b.length ? shownValue(b[index]) : 'the end of the file';
  edits.push({
    entry: 'text outside the regions',
    message: `changed: after ${index === 0 ? 'the start of the file' : shownValue(a[index - 1])} it should read ${expected}, but reads ${found} (markers count as outside text: regions cannot be added, removed or renamed by a contributing phase).`,
  });
}

function parseOrForbid(file: string, text: string): RegionsDocument {
  try {
    return parseRegions(text);
  } catch (error) {
    if (!(error instanceof RegionSyntaxError)) throw error;
    throw new ForbiddenEditError(file, 'regions', [{ entry: `line ${error.line}`, message: error.problem }]);
  }
}
