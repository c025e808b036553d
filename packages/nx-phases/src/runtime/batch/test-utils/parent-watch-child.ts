/**
 * A child process for the parent-watch tests: calls `exitWhenParentGone` `WATCH_CALLS` times (default 1) and stays
 * alive. It writes `<REPORT>.ready` (its pid, its parent's pid, the 'disconnect' listeners the calls added), then the
 * cancellation reason to `<REPORT>.reason` when its phases are cancelled and its exit code to `<REPORT>.exit`, so a
 * test can see all of it even after the process that started it is gone.
 */
import { writeFileSync } from 'node:fs';
import { cancellationSignal } from '../../cancellation';
import { exitWhenParentGone } from '../parent-watch';

const report = process.env.REPORT!;
const signal = cancellationSignal();
signal.addEventListener('abort', () => writeFileSync(`${report}.reason`, (signal.reason as Error).message));
process.on('exit', (code) => writeFileSync(`${report}.exit`, String(code)));
const before = process.listenerCount('disconnect');
for (let call = 0; call < Number(process.env.WATCH_CALLS ?? '1'); call++) exitWhenParentGone();
writeFileSync(`${report}.ready`, JSON.stringify({ pid: process.pid, ppid: process.ppid, disconnectListeners: process.listenerCount('disconnect') - before }));
setInterval(() => undefined, 1 << 30);
