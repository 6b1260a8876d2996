/**
 * Which functions a run analyses, read from Lambda within the control-plane rate: a list of names
 * (one GetFunctionConfiguration each), or ListFunctions (50 a page) filtered by name prefix and tags
 * (one ListTags per function left after the prefix, since ListFunctions does not return tags).
 */
import { RightSizeCancelledError } from './errors.js';
import type { Pacer } from './pace.js';
import type { FleetFunction, FleetLambdaPort, FunctionSelection } from './types.js';

export interface Selected {
  /** Sorted by name. */
  functions: FleetFunction[];
  /** Names asked for that do not exist. */
  missing: string[];
}

/**
 * @example
 * ```ts
 * await selectFunctions({ kind: 'filter', prefix: 'orders-', tags: [{ key: 'team', value: 'payments' }] }, lambda, pacer)
 * // { functions: [{ name: 'orders-api', memoryMb: 1024, … }], missing: [] }
 * ```
 * @throws {@link RightSizeCancelledError} when the signal aborts between calls
 */
export async function selectFunctions(
  selection: FunctionSelection,
  lambda: FleetLambdaPort,
  pacer: Pacer,
  signal?: AbortSignal
): Promise<Selected> {
  const checkCancelled = (): void => {
    if (signal?.aborted) throw new RightSizeCancelledError('The run was cancelled while reading the functions');
  };
  const functions: FleetFunction[] = [];
  const missing: string[] = [];
  if (selection.kind === 'names') {
    for (const name of [...new Set(selection.names)]) {
      checkCancelled();
      await pacer.take();
      const fn = await lambda.getFunction(name);
      if (fn) functions.push(fn);
      else missing.push(name);
    }
  } else {
    let marker: string | undefined;
    const candidates: FleetFunction[] = [];
    do {
      checkCancelled();
      await pacer.take();
      const page = await lambda.listFunctions(marker);
      const prefix = selection.prefix;
      candidates.push(...page.functions.filter((fn) => prefix === undefined || fn.name.startsWith(prefix)));
      marker = page.nextMarker;
    } while (marker);
    for (const fn of candidates) {
      if (selection.tags.length > 0) {
        checkCancelled();
        await pacer.take();
        const tags = await lambda.listTags(fn.arn);
        const matches = selection.tags.every(({ key, value }) =>
          value === undefined ? Object.hasOwn(tags, key) : tags[key] === value
        );
        if (!matches) continue;
      }
      functions.push(fn);
    }
  }
  // De-duplicated by name: a name given twice, or a function listed on two pages while another was created.
  const unique = [...new Map(functions.map((fn) => [fn.name, fn])).values()];
  return { functions: unique.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)), missing };
}

/**
 * Whether `name` matches one of the allow-list entries: exact names or `*` / `?` wildcards.
 *
 * @example
 * ```ts
 * isAllowed('orders-api', ['orders-*']) // true
 * isAllowed('billing', ['orders-*'])    // false
 * ```
 */
export function isAllowed(name: string, allow: readonly string[]): boolean {
  return allow.some((pattern) => {
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    return new RegExp(`^${source}$`).test(name);
  });
}
