import { commentText, listText, source } from '../code';
import { phaseLabel, type ScaffoldContext } from '../context';
import { normalizeName } from '../names';

/** Rules added when a feature mentions a keyword ("Dark mode" → a dark colour scheme). */
const FEATURE_RULES: Array<[RegExp, string[]]> = [
  [
    /dark|theme/,
    ['@media (prefers-color-scheme: dark) {', '  :root {', '    --background: #111827;', '    --foreground: #f9fafb;', '  }', '}'],
  ],
  [/responsive|mobile/, ['@media (max-width: 640px) {', '  header nav {', '    flex-direction: column;', '  }', '}']],
  [
    /animat|transition|motion/,
    ['@media (prefers-reduced-motion: no-preference) {', '  a,', '  button {', '    transition: opacity 150ms ease-in-out;', '  }', '}'],
  ],
  [/access|a11y|focus/, [':focus-visible {', '  outline: 3px solid var(--accent);', '  outline-offset: 2px;', '}']],
];

/** src/styles/global.css (or any .css): base layout for the shell plus rules for the phase's polish features. */
export function cssTemplate(ctx: ScaffoldContext): string {
  const features = ctx.phase.features.map(normalizeName).join(' ');
  return source(
    `/* ${commentText(`Styles of ${ctx.planName} (${phaseLabel(ctx.phase)}): ${listText(ctx.phase.features, 'base layout')}.`)} */`,
    ':root {',
    '  --accent: #4f46e5;',
    '  --background: #ffffff;',
    '  --foreground: #111827;',
    '  color-scheme: light dark;',
    '  font-family: system-ui, sans-serif;',
    '}',
    '',
    'body {',
    '  margin: 0;',
    '  background: var(--background);',
    '  color: var(--foreground);',
    '}',
    '',
    'header nav {',
    '  display: flex;',
    '  gap: 1rem;',
    '  padding: 1rem;',
    '}',
    '',
    'main {',
    '  max-width: 60rem;',
    '  margin: 0 auto;',
    '  padding: 1rem;',
    '}',
    FEATURE_RULES.filter(([pattern]) => pattern.test(features)).map(([, rule]) => ['', ...rule]),
  );
}
