import { describeProcess, type ProcessResult } from './run-process';

/** Runs assertions about a process run; when one fails, its message also shows the run's command and output. */
export function withOutput(result: ProcessResult, assertions: () => void): void {
  try {
    assertions();
  } catch (error) {
    if (error instanceof Error) error.message = `${error.message}\n\n${describeProcess(result)}`;
    throw error;
  }
}
