/**
 * Typed errors for lambda-cost-gate.
 *
 * Every failure the action reports goes through {@link errorMessage}, so a thrown value of any shape
 * (an Error, an SDK exception, a string, `undefined`) becomes one readable line that keeps its causes,
 * with anything that looks like a secret masked (AWS and the function under test may echo one).
 */
import { iamActionFor, type AwsService } from './security/iam-actions.js';
import { maskSecretsIn, redact } from './security/redact.js';

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

/** The AWS call behind an error: enough to name the IAM action and resource when AWS refuses it. */
export interface AwsCall {
  service: AwsService;
  /** The API operation, e.g. PublishVersion, Invoke, StartQuery. */
  operation: string;
  /** The function (name or ARN) or log group the call was about. */
  resource?: string;
  qualifier?: string;
}

/**
 * The property under which the client factory (src/aws/clients.ts) records, on every error an SDK call
 * throws, the {@link AwsCall} that failed; a caller that does not say which call it made still gets
 * the IAM action named.
 */
export const AWS_CALL = Symbol.for('lambda-cost-gate.aws-call');

/** What AWS refused: the IAM action, and the resource when it is known. */
export interface RefusedAction {
  action: string;
  resource?: string;
}

/**
 * An AWS call failed. The message says what the action was doing; the SDK error is the cause. When AWS
 * refused the call (AccessDenied), the message also names the IAM action and resource that were refused,
 * from AWS's message when it says, else from the call (`PublishVersion` → `lambda:PublishVersion`).
 *
 * @example
 * ```ts
 * throw new AwsCallError('read the configuration of function my-fn', sdkError);
 * // Could not read the configuration of function my-fn: <sdk message>
 * throw new AwsCallError('publish a version of function f', accessDenied, { service: 'lambda', operation: 'PublishVersion', resource: 'f' });
 * // Could not publish a version of function f: AWS refused lambda:PublishVersion on function f; allow it in …
 * ```
 */
export class AwsCallError extends LambdaCostGateError {
  /** Set when AWS refused the call for want of a permission. */
  readonly refused?: RefusedAction;

  /**
   * @param doing - what the action tried, phrased to follow "Could not …"
   * @param cause - the error the SDK threw
   * @param call - which call it was; defaults to what the client factory recorded on the error
   */
  constructor(
    readonly doing: string,
    cause: unknown,
    call?: AwsCall
  ) {
    const refused = refusedAction(cause, call);
    super(
      refused
        ? `Could not ${doing}: AWS refused ${refused.action}${refused.resource ? ` on ${refused.resource}` : ''}; ` +
            `allow it in the policy of the role the workflow assumes (README: "AWS permissions")`
        : `Could not ${doing}`,
      { cause }
    );
    if (refused) this.refused = refused;
  }
}

/**
 * Whether AWS refused a call for want of a permission (not for bad or expired credentials, which are
 * 403s of another kind).
 *
 * @example
 * ```ts
 * isAccessDenied(Object.assign(new Error('User: … is not authorized to perform: lambda:GetFunction'), { name: 'AccessDeniedException' })); // true
 * ```
 */
export function isAccessDenied(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'AccessDeniedException' || error.name === 'AccessDenied') return true;
  return /\bis not authorized to perform\b/.test(error.message);
}

/**
 * One call's failure as a short text that is kept rather than thrown (an invocation's failure): the
 * refused IAM action when AWS refused it, else the error's own message; secrets masked either way.
 *
 * @example
 * ```ts
 * failureText('invoke f:3', accessDenied, { service: 'lambda', operation: 'Invoke', resource: 'f', qualifier: '3' });
 * // 'Could not invoke f:3: AWS refused lambda:InvokeFunction on function f:3; allow it in …'
 * failureText('invoke f:3', new Error('Rate Exceeded.')); // 'Rate Exceeded.'
 * ```
 */
export function failureText(doing: string, error: unknown, call?: AwsCall): string {
  if (isAccessDenied(error)) return redact(new AwsCallError(doing, error, call).message);
  return redact(error instanceof Error ? error.message || error.name : String(error));
}

/** The refused action and resource: AWS's own words first, then the call's. */
function refusedAction(cause: unknown, given: AwsCall | undefined): RefusedAction | undefined {
  if (!isAccessDenied(cause)) return undefined;
  const message = (cause as Error).message;
  const call = given ?? callOf(cause);
  // "User: arn:… is not authorized to perform: lambda:PublishVersion on resource: arn:…:function:f because …"
  const action = /not authorized to perform:? ([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message)?.[1];
  const resource = /\bon resource:? ("?)(\S+?)\1(?=[\s,;]|$)/.exec(message)?.[2];
  if (action) return { action, ...(resource ? { resource } : call ? describeResource(call) : {}) };
  if (!call) return { action: 'an IAM action (AWS did not say which)' };
  return { action: iamActionFor(call.service, call.operation), ...describeResource(call) };
}

function describeResource(call: AwsCall): { resource?: string } {
  if (!call.resource) return {};
  const qualified = call.qualifier ? `${call.resource}:${call.qualifier}` : call.resource;
  return { resource: `${call.service === 'logs' ? 'log group' : 'function'} ${qualified}` };
}

/** The call the client factory recorded on an SDK error, if any. */
function callOf(error: unknown): AwsCall | undefined {
  const call = (error as { [AWS_CALL]?: unknown } | undefined)?.[AWS_CALL];
  return call && typeof call === 'object' && 'operation' in call ? (call as AwsCall) : undefined;
}

/** Causes nested deeper than this are left out: a cycle or a runaway chain must not hang the action. */
const MAX_CAUSE_DEPTH = 5;

/**
 * Turns any thrown value into one line for `core.setFailed`, with its causes appended after `: ` and
 * secret-looking values masked (see src/security/redact.ts). Given `setSecret` (`core.setSecret`), each
 * masked value is also registered with the runner, which then masks it wherever else it is printed.
 *
 * @example
 * ```ts
 * errorMessage(new AwsCallError('read the configuration of function f', new Error('not found')));
 * // 'Could not read the configuration of function f: not found'
 * errorMessage('plain string'); // 'plain string'
 * core.setFailed(errorMessage(error, core.setSecret));
 * ```
 */
export function errorMessage(error: unknown, setSecret?: (secret: string) => void): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && current !== undefined; depth++) {
    const text = describe(current);
    // An SDK error wrapped twice often repeats the same text; say it once.
    if (text !== '' && parts[parts.length - 1] !== text) parts.push(text);
    current = current instanceof Error ? current.cause : undefined;
  }
  if (parts.length === 0) return 'Unknown error';
  return setSecret ? maskSecretsIn(parts.join(': '), setSecret) : redact(parts.join(': '));
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
