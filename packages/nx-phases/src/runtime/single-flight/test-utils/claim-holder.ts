/**
 * A child process for the single-flight tests: `claim-holder.ts <workspaceRoot> <planFile> <phaseNumber> <releaseFile> [timing JSON]`
 * claims the phase (with the given claim timing, if any; on the Redis store when NX_PHASES_STORE names one), prints
 * `claimed <pid>`, holds the claim until `releaseFile` exists, prints `still held` or `lost: <why>` (what the executor
 * checks before committing), then releases it and exits.
 */
import { existsSync } from 'node:fs';
import { claimPhase } from '../phase-claim';
import { sleep } from '../../rate-limit/sleep';
import { claimPhaseOnRedis } from '../../store/redis-claim';
import { closeRedisStore, useRedisStore } from '../../store/store-client';

async function main([workspaceRoot, planFile, phaseNumber, releaseFile, timing]: string[]): Promise<void> {
  const request = { workspaceRoot, planFile, phaseNumber: Number(phaseNumber), timing: timing ? JSON.parse(timing) : undefined };
  const store = await useRedisStore();
  const claim = store ? await claimPhaseOnRedis(request, store) : await claimPhase(request);
  process.stdout.write(`claimed ${process.pid}\n`);
  while (!existsSync(releaseFile)) await sleep(20);
  try {
    await claim.assertHeld();
    process.stdout.write('still held\n');
  } catch (error) {
    process.stdout.write(`lost: ${(error as Error).message}\n`);
  }
  await claim.release();
  if (store) closeRedisStore();
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(String(error?.stack ?? error));
  process.exit(1);
});
