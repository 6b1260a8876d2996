/**
 * Invocation results in the shapes Lambda gives them: payloads, error types and the log lines the
 * platform writes for timeouts and runtime exits.
 */
import type { InvocationResult } from './types.js';

/** The error object Lambda's Node.js runtime returns for a thrown value. */
export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** What every result of one invocation in one environment shares. */
export interface ResultBase {
  environmentId: string;
  coldStart: boolean;
  initDurationMs?: number;
  maxMemoryUsedMb: number;
  logLines: string[];
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/** Lambda's largest synchronous response payload. */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

export function successResult(base: ResultBase, body: string, durationMs: number): InvocationResult {
  const payload = Buffer.from(body);
  if (payload.length > MAX_RESPONSE_BYTES) {
    const error = {
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`
    };
    return {
      ...base,
      payload: json(error),
      status: 'error',
      functionError: 'Unhandled',
      errorType: error.errorType,
      durationMs
    };
  }
  return { ...base, payload, status: 'success', durationMs };
}

/**
 * A thrown or rejected error, or an init failure. Lambda marks Node.js handler errors `Unhandled`
 * (X-Amz-Function-Error), whatever the handler meant.
 */
export function handlerErrorResult(base: ResultBase, error: LambdaError, durationMs: number): InvocationResult {
  const payload = json({ errorType: error.errorType, errorMessage: error.errorMessage, trace: error.trace ?? [] });
  return { ...base, payload, status: 'error', functionError: 'Unhandled', errorType: error.errorType, durationMs };
}

/** `Task timed out after 3.00 seconds`: the environment was killed at the deadline. */
export function timeoutResult(base: ResultBase, requestId: string, timeoutSec: number): InvocationResult {
  const message = `${new Date().toISOString()} ${requestId} Task timed out after ${timeoutSec.toFixed(2)} seconds`;
  return {
    ...base,
    logLines: [...base.logLines, message],
    payload: json({ errorMessage: message }),
    status: 'timeout',
    functionError: 'Unhandled',
    errorType: 'Sandbox.Timedout',
    durationMs: timeoutSec * 1000
  };
}

const SIGNAL_TEXT: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: 'killed',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGTERM: 'terminated',
  SIGBUS: 'bus error',
  SIGILL: 'illegal instruction',
  SIGFPE: 'floating point exception'
};

/** How Lambda (whose sandbox is written in Go) words a process exit. */
export function exitText(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal: ${SIGNAL_TEXT[signal] ?? signal}` : `exit status ${code ?? 0}`;
}

/**
 * The runtime process died during an invocation (crash, process.exit, OOM kill, stopped by the
 * executor). `fatal` is what the runtime reported just before dying, if anything; `errorType` is
 * what the REPORT line shows.
 */
export function exitResult(
  base: ResultBase,
  requestId: string,
  exit: { code: number | null; signal: NodeJS.Signals | null },
  durationMs: number,
  options: { fatal?: LambdaError; errorType?: string } = {}
): InvocationResult {
  const message = `RequestId: ${requestId} Error: Runtime exited with error: ${exitText(exit.code, exit.signal)}`;
  const error = options.fatal ?? { errorType: 'Runtime.ExitError', errorMessage: message };
  return {
    ...base,
    logLines: [...base.logLines, message, 'Runtime.ExitError'],
    payload: json(error),
    status: 'error',
    functionError: 'Unhandled',
    errorType: options.errorType ?? 'Runtime.ExitError',
    durationMs
  };
}

/** The kernel (or the RSS watchdog) killed the environment for going over its memory size. */
export function outOfMemoryResult(
  base: ResultBase,
  requestId: string,
  memoryMb: number,
  durationMs: number
): InvocationResult {
  return exitResult({ ...base, maxMemoryUsedMb: memoryMb }, requestId, { code: null, signal: 'SIGKILL' }, durationMs, {
    errorType: 'Runtime.OutOfMemory'
  });
}
