import { runProcess } from './run-process';

const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'nx-phases e2e',
  GIT_AUTHOR_EMAIL: 'e2e@nx-phases.invalid',
  GIT_COMMITTER_NAME: 'nx-phases e2e',
  GIT_COMMITTER_EMAIL: 'e2e@nx-phases.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};

/** Runs git in `cwd` with a fixed identity; throws with the output on failure. */
export function git(cwd: string, args: string[]): string {
  return runProcess('git', args, { cwd, env: GIT_ENV }).stdout.trim();
}

/** `git init` on branch main plus a first commit of everything not ignored. */
export function gitInitWithCommit(cwd: string, message: string): void {
  git(cwd, ['init', '--quiet', '--initial-branch=main']);
  gitCommitAll(cwd, message);
}

/** Stages everything not ignored and commits it (allowing an empty commit). */
export function gitCommitAll(cwd: string, message: string): void {
  git(cwd, ['add', '--all']);
  git(cwd, ['commit', '--quiet', '--allow-empty', '--no-verify', '-m', message]);
}
