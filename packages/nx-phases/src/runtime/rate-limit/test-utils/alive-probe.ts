/**
 * A child process for the process-alive tests: `alive-probe.ts <pid>` prints one JSON line: what `kill(pid, 0)`
 * reported from this process (`"ok"` or the error code) and whether `isProcessDead(pid)` declares it gone.
 * The spec runs it under another user, so that a live process of the test's user answers EPERM.
 */
import { isProcessDead } from '../process-alive';

const pid = Number(process.argv[2]);
let signal = 'ok';
try {
  process.kill(pid, 0);
} catch (error) {
  signal = String((error as NodeJS.ErrnoException).code);
}
process.stdout.write(`${JSON.stringify({ signal, dead: isProcessDead(pid) })}\n`);
