/**
 * The `--parallel` a run used, read from its argv like Nx does (`--parallel=4`, `--parallel 4`,
 * bare `--parallel` → `--max-parallel` or 3, `--parallel=false` → 1), else nx.json's `parallel`, else 3.
 */
export function parallelFromArgv(argv: readonly string[], nxJsonParallel: number | undefined): number {
  const value = optionValue(argv, 'parallel');
  if (value === 'false') return 1;
  if (value === '' || value === 'true') return toWorkers(optionValue(argv, 'max-parallel') ?? optionValue(argv, 'maxParallel')) ?? 3;
  return toWorkers(value) ?? nxJsonParallel ?? 3;
}

/** `--name=value` → value, `--name value` → value, a bare `--name` → '', absent → undefined. */
function optionValue(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith(`--${name}=`)) return argv[i].slice(name.length + 3);
    if (argv[i] === `--${name}`) return i + 1 < argv.length && !argv[i + 1].startsWith('-') ? argv[i + 1] : '';
  }
  return undefined;
}

function toWorkers(value: string | undefined): number | undefined {
  const workers = Number(value);
  return value !== undefined && value !== '' && Number.isInteger(workers) && workers >= 1 ? workers : undefined;
}
