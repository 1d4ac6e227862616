/**
 * Errors. A `ScriptError` is what an Apps Script service throws: inside an execution it reaches the
 * script as an `Error` of the script's own realm, named 'Exception' (so `String(e)` reads
 * "Exception: ..." and `e.message` has no prefix, as in Apps Script's V8 runtime).
 */
import type { ExecutionMetrics } from './metrics';

export class ScriptError extends Error {
  /** `name` the script sees: 'Exception' for service errors, 'Error' for the platform's kill. */
  readonly scriptName: string;
  constructor(message: string, scriptName = 'Exception') {
    super(message);
    this.name = scriptName;
    this.scriptName = scriptName;
  }
}

export type KillReason = 'time-limit' | 'abort-after-calls' | 'memory-limit';

/** Thrown (inside the harness) when the platform ends an execution: time limit, memory ceiling or abortAfterCalls. */
export class KillSignal extends ScriptError {
  constructor(
    readonly reason: KillReason,
    message = EXCEEDED_TIME,
  ) {
    super(message, 'Error');
  }
}

export const EXCEEDED_TIME = 'Exceeded maximum execution time';

/** `harness.run` failed: the message is the script's error message; `metrics` are the execution's. */
export class HarnessExecutionError extends Error {
  constructor(
    message: string,
    readonly metrics: ExecutionMetrics,
    /** The value the script threw (an Error of the script's realm, or anything else it threw). */
    readonly scriptError: unknown,
    /** 'Exception', 'Error', 'TypeError', ... as the script would see `e.name`. */
    readonly scriptErrorName: string,
  ) {
    super(message);
    this.name = 'HarnessExecutionError';
  }
}

/** A user edit that Sheets would refuse (data validation that rejects input, protected range). */
export class UserEditRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserEditRejected';
  }
}

export function permissionError(method: string, scope?: string): ScriptError {
  return new ScriptError(
    scope
      ? `You do not have permission to call ${method}. Required permissions: ${scope}`
      : `You do not have permission to call ${method}.`,
  );
}

export function invalidArgument(name: string): ScriptError {
  return new ScriptError(`Invalid argument: ${name}`);
}
