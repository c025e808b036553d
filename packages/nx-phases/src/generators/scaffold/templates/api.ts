import { doc, listText, literal, source } from '../code';
import { phaseLabel, type ScaffoldContext } from '../context';
import { PATHS, apiName } from '../conventions';
import { baseName, featureLabel, importPath, kebabCase, pascalIdentifier } from '../names';
import { availableModelNames, entityName } from './database';

/** The JSON fetch wrapper; `url` is the expression of the request URL (it may use `path`). */
function requestFunction(exported: boolean, url: string): string[] {
  return [
    doc('Sends a JSON request and parses the JSON answer; throws with the status when it fails.'),
    `${exported ? 'export ' : ''}async function apiRequest<T>(path: string, init: RequestInit = {}): Promise<T> {`,
    `  const url = ${url};`,
    '  const headers = new Headers(init.headers);',
    "  headers.set('Content-Type', 'application/json');",
    '  const response = await fetch(url, { ...init, headers });',
    '  if (!response.ok) {',
    "    throw new Error(`${init.method ?? 'GET'} ${url} failed with HTTP ${response.status}; check that the API server is running.`);",
    '  }',
    '  return (await response.json()) as T;',
    '}',
  ];
}

/** src/api/client.ts: base URL, URL builder and a JSON fetch wrapper. */
export function apiClientTemplate(ctx: ScaffoldContext): string {
  return source(
    doc(`HTTP client of ${ctx.planName}'s API (${phaseLabel(ctx.phase)}): ${listText(ctx.phase.features, 'shared requests')}.`),
    '',
    doc('Prefix of every API request.'),
    "export const apiBaseUrl = '/api';",
    '',
    doc('The request URL of an API path ("products" → "/api/products").'),
    'export function apiUrl(path: string): string {',
    "  return `${apiBaseUrl}/${path.replace(/^\\/+/, '')}`;",
    '}',
    '',
    requestFunction(true, 'apiUrl(path)'),
  );
}

/** src/api/<resource>.ts: list/get/create calls for one feature, typed with its model when one exists. */
export function apiResourceTemplate(ctx: ScaffoldContext, path: string): string {
  const resource = kebabCase(baseName(path)) || 'items';
  const feature = featureLabel(ctx.phase.features, baseName(path));
  const recordType = `${pascalIdentifier(baseName(path))}Record`;
  const model = entityName(feature);
  const useModel = model !== undefined && availableModelNames(ctx).includes(model);
  const hasClient = ctx.exports(PATHS.apiClient, 'apiRequest');
  return source(
    doc(`API calls for "${feature}" (${phaseLabel(ctx.phase)}).`),
    hasClient && `import { apiRequest } from '${importPath(path, PATHS.apiClient)}';`,
    useModel && `import type { ${model} } from '${importPath(path, PATHS.models)}';`,
    '',
    doc(`A ${feature} record as the API returns it.`),
    useModel ? `export type ${recordType} = ${model};` : [`export interface ${recordType} {`, '  id: string;', '  name: string;', '}'],
    '',
    !hasClient && [...requestFunction(false, '`/api/${path}`'), ''],
    doc(`REST calls under /api/${resource}.`),
    `export const ${apiName(path)} = {`,
    `  list: () => apiRequest<${recordType}[]>(${literal(resource)}),`,
    `  get: (id: string) => apiRequest<${recordType}>(\`${resource}/\${encodeURIComponent(id)}\`),`,
    `  create: (input: Omit<${recordType}, 'id'>) =>`,
    `    apiRequest<${recordType}>(${literal(resource)}, { method: 'POST', body: JSON.stringify(input) }),`,
    '};',
  );
}
