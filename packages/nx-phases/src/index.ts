/** nx-phases: run a phase plan as an Nx task graph. */
export * from './plan';
