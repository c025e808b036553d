/** Options of `nx g nx-phases:init`. */
export interface InitGeneratorOptions {
  targetName?: string;
  skipPackageJson?: boolean;
}
