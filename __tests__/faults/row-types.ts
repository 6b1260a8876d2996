/**
 * The shape of a fault-matrix row (one fault injected in one phase, and what must follow), and the changes
 * "someone else" makes to a function in the middle of a run.
 */
import {
  DeleteFunctionCommand,
  PutFunctionConcurrencyCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
  type LambdaClient
} from '@aws-sdk/client-lambda';
import type { Verdict } from '../../src/compare/types.js';
import { sha256Base64 } from '../../src/deploy/zip.js';
import type { FunctionSnapshot } from '../../src/emulator/admin.js';
import type { FaultRule } from '../../src/emulator/faults.js';
import { zipModel } from '../../src/emulator/lambda/code.js';
import type { InputName } from '../../src/inputs/names.js';
import type { ErrorKind, LambdaPort } from '../../src/sweep/types.js';
import type { FaultSpec } from '../support/fake-github.js';
import { MODEL } from './fault-bed.js';

/** Where in a run the fault strikes. */
export type Phase =
  | 'deploy: UpdateFunctionCode'
  | 'deploy: UpdateFunctionConfiguration'
  | 'deploy: CreateFunction (temporary copy)'
  | 'publish: PublishVersion'
  | 'invoke: Invoke'
  | 'cleanup: restoring updates'
  | 'cleanup: DeleteFunction'
  | 'cleanup: ListVersionsByFunction'
  | 'baseline download'
  | 'commenting';

/** A fault rule as written in the table; the row's function is its resource unless it names one ('*': any). */
export type Rule = Partial<FaultRule> & Pick<FaultRule, 'kind'>;

/** What a hook may use: an SDK client acting as "someone else", and the row's function. */
export interface RowContext {
  fn: string;
  client: LambdaClient;
  setFaults: (rules: Rule[]) => void;
}
export type Act = (ctx: RowContext) => Promise<void>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any error class, whatever its constructor takes
export type ErrorClass = abstract new (...args: any[]) => Error;

export interface Expectation {
  /** runGate threw: of this class, and the one-line message (with causes) matches. */
  error?: { type: ErrorClass; message: RegExp };
  /** runGate returned this verdict. */
  verdict?: Verdict;
  /** What the step's exit status would be (main.ts: a throw or decide().fail → 1). */
  exit: 0 | 1;
  /** Each must match one notice of the published outcome. */
  notices?: readonly RegExp[];
  /** Each must match one warning of the run report. */
  warnings?: readonly RegExp[];
  /** At the gated size: failures of this kind among the measured invocations (all of them, or some). */
  errors?: { kind: ErrorKind; count: 'all' | 'some' };
  /** Sizes the report must call unusable (none otherwise). */
  unusable?: readonly number[];
  /** Whether any invocation was made. */
  measured: boolean;
  /** false: the function was never written to, so even its RevisionId is unchanged. */
  touched?: boolean;
  /** Comments the pull request ends with for the function. */
  comments: 0 | 1;
  /** `$LATEST` differs from before only in these (someone else's change), or the function is gone. */
  latest?: Partial<FunctionSnapshot> | 'deleted';
  /** The run left something that the post step then found and removed. */
  leftover?: boolean;
  /** Each must match one line the run logged (a retry must be visible). */
  logs?: readonly RegExp[];
  /** Port calls, by method, exactly (for the ones listed). */
  calls?: Partial<Record<keyof LambdaPort, number>>;
}

export interface FaultRow {
  fault: string;
  phase: Phase;
  /** The function's model, when not {@link MODEL}. */
  model?: Record<string, unknown>;
  /** The candidate's model (the `code` input); absent: {@link MODEL} under another seed (other bytes, same speed). */
  candidate?: Record<string, unknown>;
  inputs?: Partial<Record<InputName, string>>;
  /** `short-waits`: 2 s waiters and a 4 s 409 budget; otherwise createAwsPorts with these attempts (default 2). */
  ports?: 'short-waits' | { maxAttempts: number };
  /** Before the run starts (after the `before` snapshot is NOT taken yet: e.g. reserved concurrency). */
  setup?: Act;
  /** Emulator faults from the start. */
  faults?: Rule[];
  /** Emulator faults or acts from the first progress message that matches. */
  at?: Array<{ phase: RegExp; faults?: Rule[]; act?: Act }>;
  /** Acts before the nth call of a port method. */
  calls?: Array<{ method: keyof LambdaPort; nth: number; act: Act }>;
  /** Fake GitHub faults, queued before the run. */
  github?: FaultSpec[];
  /** An earlier run's comment for the function is already on the pull request. */
  existingComment?: boolean;
  expect: Expectation;
}

/** A model's code for "someone else's" deployment: other bytes than the original and the candidate. */
export const OTHER_CODE = zipModel({ ...MODEL, seed: 99 });
export const OTHER_CODE_SHA = sha256Base64(OTHER_CODE);
export const OTHER_ENVIRONMENT = { CHANGED_BY: 'someone-else' };

const settle = (ctx: RowContext) =>
  waitUntilFunctionUpdatedV2(
    { client: ctx.client, minDelay: 1, maxDelay: 1, maxWaitTime: 10 },
    { FunctionName: ctx.fn }
  );

/** Someone else changes the function's environment (a configuration the run never touches). */
export const otherChangesEnvironment: Act = async (ctx) => {
  await ctx.client.send(
    new UpdateFunctionConfigurationCommand({ FunctionName: ctx.fn, Environment: { Variables: OTHER_ENVIRONMENT } })
  );
  await settle(ctx);
};

/** Someone else deploys other code to `$LATEST`. */
export const otherDeploysCode: Act = async (ctx) => {
  await ctx.client.send(new UpdateFunctionCodeCommand({ FunctionName: ctx.fn, ZipFile: OTHER_CODE }));
  await settle(ctx);
};

/** Someone else deletes the whole function. */
export const otherDeletesFunction: Act = async (ctx) => {
  await ctx.client.send(new DeleteFunctionCommand({ FunctionName: ctx.fn }));
};

/** PutFunctionConcurrency, as an operator would set it. */
export const reserveConcurrency =
  (count: number): Act =>
  async (ctx) => {
    await ctx.client.send(
      new PutFunctionConcurrencyCommand({ FunctionName: ctx.fn, ReservedConcurrentExecutions: count })
    );
  };

/** A 403 from an exhausted primary rate limit, as GitHub sends it. */
export const RATE_LIMIT_HEADERS = {
  'x-ratelimit-limit': '5000',
  'x-ratelimit-remaining': '0',
  'x-ratelimit-reset': String(Math.floor(Date.parse('2030-01-01T00:00:00Z') / 1000))
};
export const RATE_LIMIT_MESSAGE =
  /the GitHub API rate limit for this token is used up; it resets at 2030-01-01T00:00:00\.000Z/;
