import type { ScaffoldContext } from '../context';
import { PATHS } from '../conventions';

/** The regions of the route registry (src/routes.tsx), in file order: page imports, route entries, navigation links. */
export const REGISTRY_REGIONS = { imports: 'imports', routes: 'routes', navigation: 'navigation' } as const;

/**
 * True when src/routes.tsx is a route registry (the plan merges it as regions): every phase that adds a page
 * registers its import, route and navigation link in its regions, instead of one last phase wiring every page.
 */
export function isRouteRegistry(ctx: ScaffoldContext): boolean {
  if (ctx.isPlanned(PATHS.routes)) return ctx.mergeStrategy(PATHS.routes) === 'regions';
  return new RegExp(`nx-phases:region ${REGISTRY_REGIONS.routes}\\b`).test(ctx.read(PATHS.routes) ?? '');
}
