import { commentText, doc, jsxText, listText, literal, source } from '../code';
import { phaseLabel, type ScaffoldContext } from '../context';
import { baseName, camelIdentifier, pascalIdentifier, titleCase } from '../names';
import { escapeHtml } from './setup';

/** Any other .tsx file: a prop-less component named after the file that lists the phase's features. */
export function genericTsxTemplate(ctx: ScaffoldContext, path: string): string {
  const title = titleCase(baseName(path));
  return source(
    doc(`${title} (${phaseLabel(ctx.phase)}).`),
    '',
    doc(`${title}.`),
    `export function ${pascalIdentifier(baseName(path))}() {`,
    '  return (',
    '    <section>',
    `      <h2>${jsxText(title)}</h2>`,
    '      <ul>',
    ctx.phase.features.map((feature) => `        <li>${jsxText(feature)}</li>`),
    '      </ul>',
    '    </section>',
    '  );',
    '}',
  );
}

/** Any other .ts file: a constant describing the phase (a declaration file gets an empty module). */
export function genericTsTemplate(ctx: ScaffoldContext, path: string): string {
  if (path.endsWith('.d.ts')) return source(doc(`Declarations of ${phaseLabel(ctx.phase)}.`), 'export {};');
  const name = `${camelIdentifier(baseName(path))}Info`;
  return source(
    doc(`${titleCase(baseName(path))}: written by ${phaseLabel(ctx.phase)}.`),
    `export const ${name} = {`,
    `  phase: ${ctx.phase.number},`,
    `  name: ${literal(ctx.phase.name)},`,
    `  features: [${ctx.phase.features.map(literal).join(', ')}],`,
    '} as const;',
  );
}

/** Any other .json file: the phase's name, number and features. */
export function genericJsonTemplate(ctx: ScaffoldContext): string {
  const { number, name, features } = ctx.phase;
  return `${JSON.stringify({ name, phase: number, features }, null, 2)}\n`;
}

/** Any .md file: a heading, the phase description and its features. */
export function markdownTemplate(ctx: ScaffoldContext, path: string): string {
  return source(
    `# ${titleCase(baseName(path))}`,
    '',
    `Written by ${phaseLabel(ctx.phase)} of ${ctx.planName}.`,
    ctx.phase.description.trim() !== '' && ['', ctx.phase.description.trim()],
    '',
    '## Features',
    '',
    ctx.phase.features.length > 0 ? ctx.phase.features.map((feature) => `- ${feature}`) : '- (none listed)',
  );
}

/** Any .html file other than index.html: a static page listing the features. */
export function htmlTemplate(ctx: ScaffoldContext, path: string): string {
  return source(
    '<!doctype html>',
    '<html lang="en">',
    '  <head>',
    '    <meta charset="UTF-8" />',
    `    <title>${escapeHtml(titleCase(baseName(path)))}</title>`,
    '  </head>',
    '  <body>',
    `    <h1>${escapeHtml(titleCase(baseName(path)))}</h1>`,
    '    <ul>',
    ctx.phase.features.map((feature) => `      <li>${escapeHtml(feature)}</li>`),
    '    </ul>',
    '  </body>',
    '</html>',
  );
}

/** Any other file: plain text naming the phase and its features. */
export function textTemplate(ctx: ScaffoldContext): string {
  return source(
    `${commentText(ctx.planName)}: ${commentText(phaseLabel(ctx.phase))}`,
    `Features: ${listText(ctx.phase.features, 'none listed')}`,
  );
}
