/**
 * Names of the action's inputs and outputs, exactly as action.yml spells them (kebab-case).
 *
 * One place for them so a rename cannot leave a stale string behind in main.ts or the tests.
 */

/** Inputs declared in action.yml. */
export const Inputs = {
  FunctionName: 'function-name',
  EndpointUrl: 'endpoint-url',
  AwsRegion: 'aws-region',
  MaxAttempts: 'max-attempts'
} as const;

/** The name of one input. */
export type InputName = (typeof Inputs)[keyof typeof Inputs];

/** Outputs declared in action.yml. */
export const Outputs = {
  MemorySize: 'memory-size',
  Architecture: 'architecture'
} as const;

/** The name of one output. */
export type OutputName = (typeof Outputs)[keyof typeof Outputs];
