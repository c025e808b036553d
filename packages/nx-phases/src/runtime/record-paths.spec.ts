import { join } from 'node:path';
import { phaseContributionsPathInApp, phaseManifestPath, phaseRecordFilesDir, phaseRecordPathInApp, phaseRecordRoot, phaseSnapshotDigestPath } from './record-paths';

describe('record paths: where a phase keeps its record (what Nx caches, what dependents hash)', () => {
  it('puts each part at .phases/<n> under the app root', () => {
    expect(phaseRecordRoot('apps/shop', 12)).toBe('apps/shop/.phases/12');
    expect(phaseRecordFilesDir('/ws', 'apps/shop', 12)).toBe(join('/ws', 'apps/shop/.phases/12/files'));
    expect(phaseManifestPath('/ws', 'apps/shop', 12)).toBe(join('/ws', 'apps/shop/.phases/12/manifest.json'));
    expect(phaseSnapshotDigestPath('/ws', 'apps/shop', 12)).toBe(join('/ws', 'apps/shop/.phases/12/inputs.sha256'));
    expect(phaseRecordPathInApp(12)).toBe('.phases/12');
    expect(phaseRecordPathInApp(12, 'files', 'src/a.ts')).toBe('.phases/12/files/src/a.ts');
    expect(phaseContributionsPathInApp(12)).toBe('.phases/12/contributions.json');
  });
});
