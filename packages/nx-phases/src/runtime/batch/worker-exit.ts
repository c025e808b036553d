/**
 * Lets this batch worker exit as soon as Nx has the batch's results: Nx 23.3 forks one worker per batch and never
 * tells it to exit, so its open IPC channel kept it alive until Nx's clean-up at the end of the whole run sent SIGTERM
 * (which then waited out the cancellation grace period: the 5 s tail after the last phase, issue 22). Unreferencing
 * the channel keeps it open for Nx's last message (the batch's results, sent after this returns), and the process
 * ends by itself, exit code 0, once nothing else is pending.
 */
export function exitWhenBatchDone(channel: { unref(): void } | undefined = process.channel): void {
  channel?.unref();
}
