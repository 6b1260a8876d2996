/**
 * Faults on demand, for the reliability work: rules from the config file or the admin API that
 * throttle, fail, drop or slow calls, answer "an update is in progress" (409), and make control-plane
 * updates slow or fail.
 */
import { z } from 'zod';
import { AwsError, resourceConflict, serviceError, tooManyRequests } from './http/aws-error.js';
import type { EmulatorRequest, Route } from './http/server.js';
import { createRandom, type Random } from './model/random.js';
import type { ControlPlaneTiming } from './lambda/store.js';

export const faultRuleSchema = z.object({
  /** The operation it applies to (`Invoke`, `UpdateFunctionConfiguration`, `FilterLogEvents`, …) or `*`. */
  operation: z.string().min(1).default('*'),
  /** Only calls about this function (or log group); all when absent. */
  resource: z.string().min(1).optional(),
  /**
   * `conflict`: 409 ResourceConflictException as Lambda answers a change (or a publish) while another update of
   * the function is still in progress, without one actually being in progress.
   */
  kind: z.enum(['throttle', 'server-error', 'drop', 'latency', 'conflict', 'update-failure', 'slow-update']),
  /** Share of matching calls it hits. */
  rate: z.number().min(0).max(1).default(1),
  /** Hits at most this many calls, then stays inert. */
  count: z.number().int().positive().optional(),
  /** For `latency` (added before answering) and `slow-update` (how long the update stays InProgress). */
  delayMs: z.number().int().min(0).max(600_000).default(0),
  /** For `throttle`: sent as `Retry-After` / `retryAfterSeconds` when given. */
  retryAfterSeconds: z.number().int().min(0).optional(),
  reason: z
    .enum([
      'ConcurrentInvocationLimitExceeded',
      'ReservedFunctionConcurrentInvocationLimitExceeded',
      'CallerRateLimitExceeded'
    ])
    .default('ConcurrentInvocationLimitExceeded'),
  /** For `server-error`: the HTTP status (500 ServiceException, 502/503/504 plain gateway errors). */
  status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).default(500)
});
export type FaultRule = z.infer<typeof faultRuleSchema>;
export const faultRulesSchema = z.array(faultRuleSchema);

/** A route as the Lambda router hands it over: with the ARN of the function it is about, for messages. */
export type FaultRoute = Route & { resourceArn?: string };

interface ActiveRule {
  rule: FaultRule;
  hits: number;
}

/** Operations that change `$LATEST` or publish: `update-failure` and `slow-update` apply to them. */
const UPDATE_OPERATIONS = new Set([
  'CreateFunction',
  'UpdateFunctionConfiguration',
  'UpdateFunctionCode',
  'PublishVersion'
]);

export class Faults implements ControlPlaneTiming {
  private rules: ActiveRule[] = [];
  private readonly random: Random;
  /** The operation being answered, so that update outcomes can match rules by operation. */
  private currentOperation = '*';

  constructor(
    rules: FaultRule[] = [],
    /** How long updates stay InProgress when no rule says otherwise. */
    private updateDelayMs = 0,
    seed = 1
  ) {
    this.random = createRandom(seed);
    this.replace(rules);
  }

  replace(rules: FaultRule[]): void {
    this.rules = rules.map((rule) => ({ rule, hits: 0 }));
  }

  list(): Array<FaultRule & { hits: number }> {
    return this.rules.map(({ rule, hits }) => ({ ...rule, hits }));
  }

  setUpdateDelay(ms: number): void {
    this.updateDelayMs = ms;
  }

  getUpdateDelay(): number {
    return this.updateDelayMs;
  }

  /** Applied by the HTTP server before every operation. */
  async beforeOperation(route: FaultRoute, _request: EmulatorRequest): Promise<'drop' | undefined> {
    this.currentOperation = route.operation;
    if (route.protocol === 'admin') return undefined;
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.kind === 'update-failure' || rule.kind === 'slow-update') continue;
      if (!this.hits(active, route.operation, route.resource)) continue;
      switch (rule.kind) {
        case 'latency':
          await new Promise((resolve) => setTimeout(resolve, rule.delayMs));
          break;
        case 'drop':
          return 'drop';
        case 'throttle':
          throw tooManyRequests(rule.reason, 'Rate Exceeded.', rule.retryAfterSeconds);
        case 'conflict':
          // Lambda's own words, naming the function's ARN (the name alone when the route has none).
          throw resourceConflict(
            `The operation cannot be performed at this time. An update is in progress for resource: ${route.resourceArn ?? route.resource ?? 'unknown'}`
          );
        case 'server-error':
          throw rule.status === 500
            ? serviceError('An internal error occurred (injected fault).')
            : new AwsError('ServiceUnavailableException', 'Service unavailable (injected fault).', rule.status, {
                Type: 'Service'
              });
      }
    }
    return undefined;
  }

  /** Consulted by the function store when an update or publish starts. */
  updateOutcome(functionName: string): { delayMs: number; failureReason?: string } {
    let delayMs = this.updateDelayMs;
    let failureReason: string | undefined;
    const operation = UPDATE_OPERATIONS.has(this.currentOperation) ? this.currentOperation : '*';
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.kind !== 'update-failure' && rule.kind !== 'slow-update') continue;
      if (!this.hits(active, operation, functionName)) continue;
      if (rule.kind === 'slow-update') delayMs = Math.max(delayMs, rule.delayMs);
      else failureReason = 'The update failed because of an internal error (injected fault).';
    }
    return { delayMs, ...(failureReason ? { failureReason } : {}) };
  }

  private hits(active: ActiveRule, operation: string, resource: string | undefined): boolean {
    const { rule } = active;
    if (rule.operation !== '*' && rule.operation !== operation) return false;
    if (rule.resource !== undefined && rule.resource !== resource) return false;
    if (rule.count !== undefined && active.hits >= rule.count) return false;
    if (rule.rate < 1 && !this.random.chance(rule.rate)) return false;
    active.hits += 1;
    return true;
  }
}
