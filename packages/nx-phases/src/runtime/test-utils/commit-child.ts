/**
 * A child process for the commit's durability spec: `commit-child.ts <request.json>` runs `commitPhase` once with
 * the request in that file (the spec traces its system calls with strace) and prints `committed`.
 */
import { readFileSync } from 'node:fs';
import { commitPhase, type CommitRequest } from '../atomic-commit';

const request = JSON.parse(readFileSync(process.argv[2], 'utf8')) as CommitRequest;
commitPhase(request).then(
  () => console.log('committed'),
  (error: Error) => {
    console.error(error.stack);
    process.exitCode = 1;
  },
);
