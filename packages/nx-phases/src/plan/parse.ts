import { PlanError, ROOT_PATH } from './errors';
import { buildPlan } from './build-plan';
import { compareJsonPaths } from './json-path';
import { findJsonSyntaxError, lineAndColumn } from './json-syntax';
import { checkGeneratorReferences } from './generator-options';
import { checkPlanSemantics } from './plan-checks';
import { checkRegionsCreators } from './merge/merge-checks';
import { validateAgainstSchema } from './schema-validate';
import type { PhasePlan, PlanDocument } from './types';

/**
 * Parses and validates the text of a `phases.json`. Returns the plan with defaults applied, or throws
 * a `PlanError` listing every problem found, ordered by JSON path (a JSON syntax error is reported alone).
 */
export function parsePlan(text: string, fileName: string): PhasePlan {
  const data = parseJson(text, fileName);
  const findings = [...validateAgainstSchema(data), ...checkPlanSemantics(data, baseName(fileName)), ...checkGeneratorReferences(data)].sort(
    (a, b) => compareJsonPaths(a.path, b.path),
  );
  if (findings.length > 0) throw new PlanError(findings.map((finding) => ({ file: fileName, ...finding })));
  const plan = buildPlan(data as PlanDocument);
  const jsonPaths = plan.merge ? phaseJsonPaths(text) : new Map<number, string>();
  const orderFindings = checkRegionsCreators(plan, (n) => jsonPaths.get(n) ?? 'phases');
  if (orderFindings.length > 0) throw new PlanError(orderFindings.map((finding) => ({ file: fileName, ...finding })));
  return plan;
}

/**
 * Phase number → JSON path of that phase in the file (`phases[2]`), for pointing users at a phase.
 * Tolerates a byte-order mark and invalid plans: the first phase with a number wins, entries without an integer
 * number are skipped, and text that is not JSON (or has no `phases` array) gives an empty map.
 */
export function phaseJsonPaths(text: string): Map<number, string> {
  const paths = new Map<number, string>();
  let data: unknown;
  try {
    data = JSON.parse(stripBom(text));
  } catch {
    return paths;
  }
  const phases = typeof data === 'object' && data !== null ? (data as { phases?: unknown }).phases : undefined;
  if (!Array.isArray(phases)) return paths;
  phases.forEach((phase: unknown, index) => {
    const number = typeof phase === 'object' && phase !== null ? (phase as { number?: unknown }).number : undefined;
    if (Number.isInteger(number) && !paths.has(number as number)) paths.set(number as number, `phases[${index}]`);
  });
  return paths;
}

/** The text without a leading UTF-8 byte-order mark. */
function stripBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** JSON.parse with a `PlanError` that gives the line and column of a syntax error. */
function parseJson(text: string, fileName: string): unknown {
  const withoutBom = stripBom(text);
  try {
    return JSON.parse(withoutBom);
  } catch (error) {
    const issue = findJsonSyntaxError(withoutBom) ?? { offset: 0, message: (error as Error).message };
    const { line, column } = lineAndColumn(withoutBom, issue.offset);
    throw new PlanError([
      {
        file: fileName,
        path: ROOT_PATH,
        message: `Invalid JSON at line ${line}, column ${column}: ${issue.message}`,
        hint: `Fix the JSON syntax at ${fileName}:${line}:${column} (JSON allows no comments and no trailing commas).`,
        line,
        column,
      },
    ]);
  }
}

/** The last segment of a file name, with either slash. */
function baseName(fileName: string): string {
  return fileName.split(/[\\/]/).pop() ?? fileName;
}
