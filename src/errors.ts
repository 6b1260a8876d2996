/**
 * Typed errors for lambda-cost-gate.
 *
 * Every failure the action reports goes through {@link errorMessage}, so a thrown value of any shape
 * (an Error, an SDK exception, a string, `undefined`) becomes one readable line that keeps its causes.
 */

/** Base class of every error this project throws on purpose. */
export class LambdaCostGateError extends Error {
  /**
   * @param message - what went wrong, in words a user can act on
   * @param options - `cause`: the lower-level error, kept so {@link errorMessage} can show it
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    // `name` is what stack traces and `String(error)` print; the subclass's own name is more useful.
    this.name = new.target.name;
  }
}

/**
 * An action input that is missing or out of range.
 *
 * @example
 * ```ts
 * throw new InputError('max-attempts', '0', 'a whole number from 1 to 10');
 * // Invalid input "max-attempts": got "0"; allowed: a whole number from 1 to 10
 * ```
 */
export class InputError extends LambdaCostGateError {
  /**
   * @param input - the input's name as written in action.yml (kebab-case)
   * @param value - the value that was given (empty when the input was missing)
   * @param allowed - what the input accepts
   */
  constructor(
    readonly input: string,
    readonly value: string,
    readonly allowed: string,
    options?: { cause?: unknown }
  ) {
    super(`Invalid input "${input}": got ${JSON.stringify(value)}; allowed: ${allowed}`, options);
  }
}

/**
 * An AWS call failed. The message says what the action was doing; the SDK error is the cause.
 *
 * @example
 * ```ts
 * throw new AwsCallError('read the configuration of function my-fn', sdkError);
 * // Could not read the configuration of function my-fn: <sdk message>
 * ```
 */
export class AwsCallError extends LambdaCostGateError {
  /**
   * @param doing - what the action tried, phrased to follow "Could not …"
   * @param cause - the error the SDK threw
   */
  constructor(
    readonly doing: string,
    cause: unknown
  ) {
    super(`Could not ${doing}`, { cause });
  }
}

/** Causes nested deeper than this are left out: a cycle or a runaway chain must not hang the action. */
const MAX_CAUSE_DEPTH = 5;

/**
 * Turns any thrown value into one line for `core.setFailed`, with its causes appended after `: `.
 *
 * @example
 * ```ts
 * errorMessage(new AwsCallError('read the configuration of function f', new Error('not found')));
 * // 'Could not read the configuration of function f: not found'
 * errorMessage('plain string'); // 'plain string'
 * ```
 */
export function errorMessage(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && current !== undefined; depth++) {
    const text = describe(current);
    // An SDK error wrapped twice often repeats the same text; say it once.
    if (text !== '' && parts[parts.length - 1] !== text) parts.push(text);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.length > 0 ? parts.join(': ') : 'Unknown error';
}

/** One value's own text, without its causes. */
function describe(value: unknown): string {
  if (value instanceof Error) {
    // SDK exceptions sometimes arrive with an empty message; their name (e.g. AccessDeniedException) still helps.
    return value.message !== '' ? value.message : value.name;
  }
  if (typeof value === 'string') return value;
  if (value === null) return 'null';
  if (typeof value === 'object') {
    const message = (value as { message?: unknown }).message;
    if (typeof message === 'string' && message !== '') return message;
    try {
      return JSON.stringify(value);
    } catch {
      // A circular object cannot be serialised; its tag is the most we can say.
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}
