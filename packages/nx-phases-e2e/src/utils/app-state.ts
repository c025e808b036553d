import { manifestWithoutTimings } from '../../../nx-phases/src/test-utils/manifest';
import { describeFolder, readFolder } from './folder-snapshot';

/**
 * An app folder as `path → content` with each manifest's timing fields removed (`manifestWithoutTimings`: what
 * legitimately differs between runs of the same inputs), for byte-for-byte comparisons of whole runs.
 */
export function appStateWithoutTimings(appRoot: string): Record<string, string> {
  return describeFolder(
    new Map(
      [...readFolder(appRoot)].map(([path, content]) => {
        if (!path.endsWith('manifest.json')) return [path, content];
        return [path, Buffer.from(JSON.stringify(manifestWithoutTimings(JSON.parse(content.toString('utf8'))), null, 2))];
      }),
    ),
  );
}
