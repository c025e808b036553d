// Stands in for the nx process in the parent-watch tests: starts test-utils/parent-watch-child.ts (forked with an
// IPC channel as Nx forks its batch worker when IPC=1, else spawned without one) and stays alive until it is killed.
const { fork, spawn } = require('node:child_process');
const { join } = require('node:path');
const child = join(__dirname, 'parent-watch-child.ts');
const execArgv = ['-r', 'ts-node/register/transpile-only'];
if (process.env.IPC === '1') fork(child, [], { execArgv, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
else spawn(process.execPath, [...execArgv, child], { stdio: 'ignore' });
setInterval(() => undefined, 1 << 30);
