import { nxCommandLine } from './nx-command-line';

describe('nxCommandLine', () => {
  const worker = ['/usr/bin/node', '--conditions', 'development', '/ws/node_modules/nx/dist/src/project-graph/plugins/isolation/plugin-worker.js', '/tmp/s.sock'];

  it('is this process\'s argv when it is the nx CLI (plugins not isolated), after any node flags', () => {
    const cli = ['/usr/bin/node', '/ws/node_modules/.bin/nx', 'run-many', '-t', 'phase'];
    expect(nxCommandLine(cli, () => [])).toEqual(cli);
    expect(nxCommandLine(['node', '--max-old-space-size=4096', '/ws/node_modules/nx/bin/nx.js', 'graph'], () => [])).toEqual(['node', '/ws/node_modules/nx/bin/nx.js', 'graph']);
  });

  it('is the parent\'s argv in a plugin worker forked by the nx CLI (daemon off), and empty under the daemon', () => {
    expect(nxCommandLine(worker, () => ['node', '/ws/node_modules/.bin/nx', 'show', 'projects'])).toEqual(['node', '/ws/node_modules/.bin/nx', 'show', 'projects']);
    expect(nxCommandLine(worker, () => ['/usr/bin/node', '/ws/node_modules/nx/src/daemon/server/start.js'])).toEqual([]);
  });
});
