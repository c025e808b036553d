/** Options of the `nx-phases:verify` executor. */
export interface VerifyExecutorOptions {
  /** Workspace-relative path of the phases.json file. */
  plan: string;
  /** Workspace-relative path of the tsconfig.json the merged app is type-checked with. */
  tsconfig: string;
}
