/**
 * Parses the action's inputs once, into a typed {@link ActionConfig}.
 *
 * Every check lives here so the rest of the action never sees a raw string; a bad value becomes an
 * {@link InputError} that names the input, the value and what is allowed.
 */
import { z } from 'zod';
import { DEFAULT_MAX_ATTEMPTS } from '../aws/clients.js';
import { readField, type InputReader } from './field.js';
import { Inputs, type InputName } from './names.js';

export type { InputReader } from './field.js';

/** The action's settings after validation. */
export interface ActionConfig {
  /** Function name, ARN or partial ARN, optionally with `:qualifier`. */
  functionName: string;
  /** Endpoint for every AWS client; undefined leaves it to the SDK (`AWS_ENDPOINT_URL*`, then AWS). */
  endpointUrl: string | undefined;
  /** AWS region; undefined leaves it to the SDK's chain (`AWS_REGION`, then the shared config file). */
  region: string | undefined;
  /** Attempts per AWS call, the first one included. */
  maxAttempts: number;
}

const MAX_MAX_ATTEMPTS = 10;

// Lambda's own pattern for FunctionName on GetFunctionConfiguration (name, partial or full ARN,
// optional qualifier); length up to 170 as the API allows.
const FUNCTION_NAME =
  /^(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** An input that may be left empty: '' means "not set". */
const optional = <T extends z.ZodType<unknown, string>>(schema: T) =>
  z.union([z.literal('').transform(() => undefined), schema]);

/** One schema per input, with the words an error message uses for what it accepts. */
const fields = {
  [Inputs.FunctionName]: {
    allowed: 'a Lambda function name, ARN or partial ARN (1-170 characters)',
    schema: z.string().min(1).max(170).regex(FUNCTION_NAME)
  },
  [Inputs.EndpointUrl]: {
    allowed: 'empty, or an http(s) URL such as http://127.0.0.1:9001',
    schema: optional(z.url({ protocol: /^https?$/ }))
  },
  [Inputs.AwsRegion]: {
    allowed: 'empty, or a region code such as us-east-1',
    schema: optional(z.string().regex(REGION))
  },
  [Inputs.MaxAttempts]: {
    allowed: `a whole number from 1 to ${MAX_MAX_ATTEMPTS}`,
    schema: z.union([
      z.literal('').transform(() => DEFAULT_MAX_ATTEMPTS),
      z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(1).max(MAX_MAX_ATTEMPTS))
    ])
  }
} satisfies Partial<Record<InputName, { allowed: string; schema: z.ZodType<unknown, string> }>>;

/**
 * Reads and validates every input.
 *
 * @example
 * ```ts
 * const config = parseConfig((name) => core.getInput(name));
 * config.maxAttempts // 3 when the input is empty
 * ```
 * @throws {@link InputError} for the first input that is missing or invalid
 */
export function parseConfig(read: InputReader): ActionConfig {
  return { functionName: readField(read, Inputs.FunctionName, functionNameField), ...parseAwsInputs(read) };
}

/** What function-name accepts; the gate reads it for each function of a config file too. */
export const functionNameField = fields[Inputs.FunctionName];

/**
 * Reads and validates the AWS client settings alone, for callers that find the function elsewhere
 * (the gate, whose functions may come from a config file).
 *
 * @example
 * parseAwsInputs((name) => core.getInput(name)) // { endpointUrl: undefined, region: 'eu-west-1', maxAttempts: 3 }
 * @throws {@link InputError} for the first input that is invalid
 */
export function parseAwsInputs(read: InputReader): Omit<ActionConfig, 'functionName'> {
  return {
    endpointUrl: readField(read, Inputs.EndpointUrl, fields[Inputs.EndpointUrl]),
    region: readField(read, Inputs.AwsRegion, fields[Inputs.AwsRegion]),
    maxAttempts: readField(read, Inputs.MaxAttempts, fields[Inputs.MaxAttempts])
  };
}
