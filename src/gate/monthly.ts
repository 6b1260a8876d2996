/**
 * The traffic the monthly figures use: the user's number, or the function's production invocations over
 * the last 14 days (its REPORT records, counted by Logs Insights) scaled to 30 days.
 */
import type { TrafficPort } from '../aws/traffic.js';
import type { MonthlyInvocations } from '../inputs/gate-settings.js';
import type { FunctionState } from '../sweep/types.js';

/** Days of logs counted for `monthly-invocations: auto`. */
export const TRAFFIC_WINDOW_DAYS = 14;
const DAY_MS = 86_400_000;

/**
 * @example
 * ```ts
 * await monthlyTraffic({ kind: 'fixed', perMonth: 2_000_000 }, state, deps)
 * // { perMonth: 2000000, source: 'the monthly-invocations input' }
 * ```
 */
export async function monthlyTraffic(
  setting: MonthlyInvocations,
  state: FunctionState,
  deps: { traffic?: TrafficPort; now?: () => Date; signal?: AbortSignal }
): Promise<{ perMonth: number; source: string } | undefined> {
  if (setting.kind === 'fixed') return { perMonth: setting.perMonth, source: 'the monthly-invocations input' };
  if (!deps.traffic) return undefined;
  const end = (deps.now ?? (() => new Date()))().getTime();
  const count = await deps.traffic.countInvocations(
    state.logGroup,
    end - TRAFFIC_WINDOW_DAYS * DAY_MS,
    end,
    deps.signal
  );
  return {
    perMonth: Math.round((count / TRAFFIC_WINDOW_DAYS) * 30),
    source: `${count.toLocaleString('en-US')} invocations in ${state.logGroup} over the last ${TRAFFIC_WINDOW_DAYS} days (REPORT records, CloudWatch Logs Insights), scaled to 30 days`
  };
}
