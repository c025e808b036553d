import { describeFolder, readFolder } from './folder-snapshot';

/**
 * An app folder as `path → content` with each manifest's `durationMs` removed (the one field that legitimately
 * differs between runs of the same inputs), for byte-for-byte comparisons of whole runs.
 */
export function appStateWithoutTimings(appRoot: string): Record<string, string> {
  return describeFolder(
    new Map(
      [...readFolder(appRoot)].map(([path, content]) => {
        if (!path.endsWith('manifest.json')) return [path, content];
        const manifest = JSON.parse(content.toString('utf8'));
        delete manifest.durationMs;
        return [path, Buffer.from(JSON.stringify(manifest, null, 2))];
      }),
    ),
  );
}
