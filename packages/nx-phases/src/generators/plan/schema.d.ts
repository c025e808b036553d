/** Options of the `nx-phases:plan` generator. */
export interface PlanGeneratorOptions {
  name: string;
  directory?: string;
  /** Comma-separated on the command line; a list when called from code. */
  features: string | string[];
  auth?: boolean;
  database?: boolean;
  /** Declare package.json, .env.example and src/routes.tsx mergeable (default true). */
  merge?: boolean;
  generator?: string;
}
