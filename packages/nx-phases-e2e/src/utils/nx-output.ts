/** How Nx reported one task of a run. */
export type TaskOutcome = 'ran' | 'cache';

const TASK_LINE = /^\s*>\s+nx run (\S+?):(\S+)(.*)$/;
const CACHE_MARKERS = ['[local cache]', '[remote cache]', '[existing outputs match the cache, left as is]'];

/**
 * Parses `--outputStyle=static` output into project → outcome for the given target: a task line
 * tagged with a cache marker is a cache hit, any other task line ran its executor.
 */
export function parseTaskOutcomes(output: string, target = 'phase'): Map<string, TaskOutcome> {
  const outcomes = new Map<string, TaskOutcome>();
  for (const line of output.split('\n')) {
    const match = TASK_LINE.exec(stripAnsi(line));
    if (!match || match[2] !== target) continue;
    outcomes.set(match[1], CACHE_MARKERS.some((marker) => match[3].includes(marker)) ? 'cache' : 'ran');
  }
  return outcomes;
}

/** Projects whose task ran (was not restored from cache), sorted. */
export function projectsThatRan(outcomes: Map<string, TaskOutcome>): string[] {
  return [...outcomes].filter(([, outcome]) => outcome === 'ran').map(([project]) => project).sort();
}

/** Removes ANSI colour codes. */
function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}

/** Lines that look like a JavaScript stack trace (`    at fn (file:1:2)`). */
export function stackTraceLines(output: string): string[] {
  return stripAnsi(output)
    .split('\n')
    .filter((line) => /^\s+at\s+\S/.test(line));
}
