/**
 * What an nx invocation shows of the plan's aggregate task (which prints the conflict fixes and the run summary),
 * read from its argv, the only part of the client a task hook sees with the Nx daemon on.
 *
 * Nx's default output for `run-many`/`affected` (`static-failures-only` when piped or in CI) collapses a successful
 * task to one line, so the summary would be hidden. Nx streams a task's output live, whatever the output style,
 * when `NX_STREAM_OUTPUT=true` is in the Nx process's environment when the task starts (and prefixes each line with
 * the project when `NX_PREFIX_OUTPUT=true`); the variables a `preTasksExecution` hook sets reach that process with
 * the daemon on or off. `nx run <plan>:<target>` shows the output of the project it names anyway; the terminal UI
 * ignores streaming (its own panes show the output while it is open).
 */

/** The environment `preTasksExecution` sets so the summary of a `run-many`/`affected` run reaches the terminal. */
export const STREAM_OUTPUT_ENV: Readonly<Record<string, string>> = { NX_STREAM_OUTPUT: 'true', NX_PREFIX_OUTPUT: 'true' };

/** Flags by which the user chose how Nx shows output (`--tui=false` / `--no-tui` only turn the terminal UI off). */
const OUTPUT_FLAGS = ['--outputStyle', '--output-style', '--verbose'];
const TUI_ON = ['--tui', '--tui=true'];
const TARGET_FLAGS = ['-t', '--targets', '--target'];

/**
 * True for `nx run-many` / `nx affected` runs of `targetName` in which the user chose no output style (no
 * `--outputStyle`, `--tui`, `--verbose`; `--tui=false` is fine), so nx-phases turns on Nx's streaming to show the summary.
 */
export function streamsPhaseOutput(argv: readonly string[], targetName: string): boolean {
  const [command, ...rest] = commandAndArgs(argv);
  if (command !== 'run-many' && command !== 'affected') return false;
  if (rest.some((arg) => TUI_ON.includes(arg) || OUTPUT_FLAGS.some((flag) => arg === flag || arg.startsWith(`${flag}=`)))) return false;
  return targetsOf(rest).includes(targetName);
}

/**
 * True when the terminal shows the output of the plan project's aggregate task (`planProject:<targetName>`): in
 * `nx run <planProject>:<any target>` or `nx <target> <planProject>` (Nx shows every task of the project it was
 * asked for, in the terminal UI too); in a `run-many`/`affected` run outside the terminal UI when
 * `streamsPhaseOutput` turned streaming on or the user asked for a full-output style. Then the task hook does not
 * print the summary a second time.
 */
export function showsAggregateOutput(argv: readonly string[], targetName: string, tuiEnabled: boolean, planProject: string): boolean {
  const [command, ...rest] = commandAndArgs(argv);
  const positional = rest.filter((arg) => !arg.startsWith('-'));
  if (command === 'run') return positional[0]?.split(':')[0] === planProject;
  if (command !== 'run-many' && command !== 'affected') return positional[0] === planProject;
  if (tuiEnabled) return false;
  if (streamsPhaseOutput(argv, targetName)) return true;
  const style = optionValue(rest, 'outputStyle') ?? optionValue(rest, 'output-style');
  return style === 'static' || style === 'stream' || style === 'stream-without-prefixes' || rest.includes('--verbose');
}

/**
 * True when the nx command runs tasks of `targetName`: `run-many`/`affected` with it among `-t`, `nx run
 * <project>:<targetName>`, or `nx <targetName> <project>`. Such a run prints the plan's conflict fixes itself.
 */
export function runsTarget(argv: readonly string[], targetName: string): boolean {
  const [command, ...rest] = commandAndArgs(argv);
  if (command === 'run-many' || command === 'affected') return targetsOf(rest).includes(targetName);
  if (command === 'run') return rest.find((arg) => !arg.startsWith('-'))?.split(':')[1] === targetName;
  return command === targetName;
}

/** argv after the nx entry point: `[node, nx, 'run-many', …]` → `['run-many', …]` (leading flags skipped). */
function commandAndArgs(argv: readonly string[]): string[] {
  const args = argv.slice(2);
  const index = args.findIndex((arg) => !arg.startsWith('-'));
  return index < 0 ? [] : args.slice(index);
}

/** The targets of `-t a,b`, `-t a b`, `--targets=a,b`, `--target a`. */
function targetsOf(args: readonly string[]): string[] {
  const targets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const flag = TARGET_FLAGS.find((name) => args[i] === name || args[i].startsWith(`${name}=`));
    if (!flag) continue;
    if (args[i].startsWith(`${flag}=`)) targets.push(...args[i].slice(flag.length + 1).split(','));
    else for (let j = i + 1; j < args.length && !args[j].startsWith('-'); j++) targets.push(...args[j].split(','));
  }
  return targets.map((target) => target.trim()).filter((target) => target !== '');
}

function optionValue(args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith(`--${name}=`)) return args[i].slice(name.length + 3);
    if (args[i] === `--${name}`) return args[i + 1];
  }
  return undefined;
}
