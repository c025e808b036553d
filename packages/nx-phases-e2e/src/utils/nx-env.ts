/** The environment every nx command of the suite runs with: no daemon, no cloud, no TUI, CI mode. */
export function nxEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    CI: 'true',
    FORCE_COLOR: '0',
    NO_COLOR: '1',
  };
  // Folders and flags set by the caller (e.g. the repo's own nx run) must not leak into temp workspaces.
  delete env.NX_WORKSPACE_DATA_DIRECTORY;
  delete env.NX_CACHE_DIRECTORY;
  delete env.NX_WORKSPACE_ROOT_PATH;
  delete env.NX_VERBOSE_LOGGING;
  // A remote cache configured for the repo's own CI must not reach the suite's workspaces (tests that want one pass it).
  delete env.NX_SELF_HOSTED_REMOTE_CACHE_SERVER;
  delete env.NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN;
  return { ...env, ...extra };
}

/** True when temp folders must be kept for debugging (`KEEP_E2E=1`). */
export function keepTempFolders(): boolean {
  return process.env.KEEP_E2E === '1' || process.env.KEEP_E2E === 'true';
}
