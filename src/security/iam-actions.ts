/**
 * Which IAM actions an AWS API operation needs. Used to name the missing permission when AWS refuses a
 * call (its message does not always say), and by the test that checks the README's policy against the
 * calls a run makes.
 */

/** The services the action calls. */
export type AwsService = 'lambda' | 'logs';

/**
 * Operations whose IAM action is not `<service>:<Operation>`, or that need more than one action.
 * CreateFunction passes the execution role to Lambda (iam:PassRole) and, since the action always tags
 * its temporary copies, needs lambda:TagResource for the tags given at creation.
 */
const IRREGULAR: Record<string, readonly string[]> = {
  'lambda:Invoke': ['lambda:InvokeFunction'],
  'lambda:InvokeWithResponseStream': ['lambda:InvokeFunction'],
  'lambda:CreateFunction': ['lambda:CreateFunction', 'iam:PassRole', 'lambda:TagResource']
};

/**
 * The IAM actions one call needs, the first being the one named after the operation.
 *
 * @example
 * ```ts
 * iamActionsFor('lambda', 'Invoke'); // ['lambda:InvokeFunction']
 * iamActionsFor('lambda', 'GetFunction'); // ['lambda:GetFunction']
 * iamActionsFor('logs', 'StartQuery'); // ['logs:StartQuery']
 * ```
 */
export function iamActionsFor(service: AwsService, operation: string): string[] {
  const key = `${service}:${operation}`;
  return [...(IRREGULAR[key] ?? [key])];
}

/**
 * The one IAM action to name when a call is refused.
 *
 * @example
 * ```ts
 * iamActionFor('lambda', 'Invoke'); // 'lambda:InvokeFunction'
 * ```
 */
export function iamActionFor(service: AwsService, operation: string): string {
  return iamActionsFor(service, operation)[0]!;
}

/** The service of an SDK client by its name (`LambdaClient`, `CloudWatchLogsClient`), if it is one of ours. */
export function serviceOfClient(clientName: string | undefined): AwsService | undefined {
  if (clientName === 'LambdaClient') return 'lambda';
  if (clientName === 'CloudWatchLogsClient') return 'logs';
  return undefined;
}
