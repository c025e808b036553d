/**
 * A child process for the parent-watch tests: calls `exitWhenParentGone` `WATCH_CALLS` times (default 1) and stays
 * alive while the test process `TEST_PID` lives. It writes `<REPORT>.ready` (its pid, its parent's pid, the 'disconnect' listeners the calls added), then the
 * cancellation reason to `<REPORT>.reason` when its phases are cancelled and its exit code to `<REPORT>.exit`, so a
 * test can see all of it even after the process that started it is gone.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { cancellationSignal } from '../../cancellation';
import { exitWhenParentGone } from '../parent-watch';

const report = process.env.REPORT!;
/** Writes `<REPORT><suffix>` whole or not at all (temp file + rename): the test reads it as soon as it exists. */
const publish = (suffix: string, text: string) => {
  writeFileSync(`${report}${suffix}.tmp`, text);
  renameSync(`${report}${suffix}.tmp`, `${report}${suffix}`);
};
const signal = cancellationSignal();
signal.addEventListener('abort', () => publish('.reason', (signal.reason as Error).message));
process.on('exit', (code) => publish('.exit', String(code)));
const before = process.listenerCount('disconnect');
for (let call = 0; call < Number(process.env.WATCH_CALLS ?? '1'); call++) exitWhenParentGone();
publish('.ready', JSON.stringify({ pid: process.pid, ppid: process.ppid, disconnectListeners: process.listenerCount('disconnect') - before }));
// Stays alive, but not past the test process (`TEST_PID`): a test runner killed mid-test (StrykerJS's timeout of a
// mutant that stops the watch) never runs its afterEach, and this process would otherwise live on for ever.
const testPid = Number(process.env.TEST_PID);
setInterval(() => {
  try {
    process.kill(testPid, 0);
  } catch {
    process.exit(0);
  }
}, 500);
