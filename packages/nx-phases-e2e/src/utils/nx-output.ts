/** How Nx reported one task of a run. */
export type TaskOutcome = 'ran' | 'cache';

/** A task's line: `> nx run p:t` (static output) or `✔  nx run p:t` / `✖  nx run p:t` (a batch's results, daemon on). */
const TASK_LINE = /^\s*[>✔✖]\s+nx run (\S+?):(\S+)(.*)$/;
const CACHE_MARKERS = ['[local cache]', '[remote cache]', '[existing outputs match the cache, left as is]'];

/** A phase project's name: `<plan>-<number>` or `<plan>-<number>-<kebab(name)>`; the plan's own project has no number. */
const PHASE_PROJECT = /-\d+(-|$)/;

/**
 * Parses `--outputStyle=static` output into phase project → outcome for the given target: a task line
 * tagged with a cache marker is a cache hit, any other task line ran its executor. The plan's aggregate
 * target (uncached, it runs in every run) is not a phase and is left out.
 */
export function parseTaskOutcomes(output: string, target = 'phase'): Map<string, TaskOutcome> {
  const outcomes = new Map<string, TaskOutcome>();
  for (const line of output.split('\n')) {
    const match = TASK_LINE.exec(stripAnsi(line));
    if (!match || match[2] !== target || !PHASE_PROJECT.test(match[1])) continue;
    outcomes.set(match[1], CACHE_MARKERS.some((marker) => match[3].includes(marker)) ? 'cache' : 'ran');
  }
  return outcomes;
}

/** Projects whose task Nx restored from the remote cache (`[remote cache]`), sorted. */
export function projectsRestoredRemotely(output: string, target = 'phase'): string[] {
  const projects = new Set<string>();
  for (const line of output.split('\n')) {
    const match = TASK_LINE.exec(stripAnsi(line));
    if (match && match[2] === target && match[3].includes('[remote cache]')) projects.add(match[1]);
  }
  return [...projects].sort();
}

/** The plan projects whose aggregate target (`<plan>:phase`, which merges the shared files) ran in this output, sorted. */
export function plansThatAssembled(output: string, target = 'phase'): string[] {
  const plans = new Set<string>();
  for (const line of output.split('\n')) {
    const match = TASK_LINE.exec(stripAnsi(line));
    if (match && match[2] === target && !PHASE_PROJECT.test(match[1]) && !CACHE_MARKERS.some((marker) => match[3].includes(marker))) plans.add(match[1]);
  }
  return [...plans].sort();
}

/** Projects whose task ran (was not restored from cache), sorted. */
export function projectsThatRan(outcomes: Map<string, TaskOutcome>): string[] {
  return [...outcomes].filter(([, outcome]) => outcome === 'ran').map(([project]) => project).sort();
}

/**
 * The task ids Nx lists under "Failed tasks:" at the end of a run, sorted: Nx lists them in the order they
 * finished, which concurrent tasks do not fix, so tests compare the set.
 */
export function failedTasks(output: string): string[] {
  const lines = stripAnsi(output).split('\n');
  const start = lines.findIndex((line) => line.trim() === 'Failed tasks:');
  if (start < 0) return [];
  const ids: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const item = /^\s*-\s+(\S+)\s*$/.exec(line);
    if (item) ids.push(item[1]);
    else if (line.trim() !== '' || ids.length > 0) break;
  }
  return ids.sort();
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

/**
 * `--outputStyle=static` output split per task of `target`: project → the lines Nx printed under that task's
 * `> nx run <project>:<target>` header (its terminal output, live or replayed from the cache).
 */
export function taskOutputBlocks(output: string, target = 'phase'): Map<string, string> {
  const blocks = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of stripAnsi(output).split('\n')) {
    const match = TASK_LINE.exec(line);
    if (match) {
      current = match[2] === target ? [] : undefined;
      if (current) blocks.set(match[1], current);
    } else if (/^\s*NX\s/.test(line)) {
      current = undefined;
    } else {
      current?.push(line);
    }
  }
  return new Map([...blocks].map(([project, lines]) => [project, lines.join('\n').trim()]));
}
