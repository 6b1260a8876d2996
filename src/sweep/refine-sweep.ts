/**
 * The refine step (input `refine`): after a sweep, fit the duration model and measure up to two more sizes
 * around the fitted optimum, where the recommendation is made but no size was measured (an optimum at 480 MB
 * lies on no default grid). A second, smaller deployment, cleaned up like the first; the report then covers
 * the sizes of both.
 */
import { fitRecommendationFromReport } from '../analyze/fitted-recommendation.js';
import type { PreparedDeployment } from '../deploy/deployer.js';
import { proposeRefinement } from '../decision/refine.js';
import type { RunReport } from '../report/run-report-schema.js';
import { buildReport } from './build-report.js';
import { withDeployment } from './deployed.js';
import type { SweepDependencies, SweepRequest } from './engine.js';
import { measure } from './measure.js';
import type { Sample } from './types.js';

/** The first sweep, as the refine step extends it. */
export interface FirstSweep {
  report: RunReport;
  prepared: PreparedDeployment;
  codeSha256: string;
  samples: Sample[];
  startedAt: Date;
}

/** At most this many sizes are added: a check of the curve where it matters, not a second sweep. */
const REFINE_SIZES = 2;

/**
 * Measures the refinement sizes and returns the report over both sweeps; the first report when the fit
 * proposes nothing (no fit, or the optimum lies on a measured size).
 *
 * @example
 * ```ts
 * const report = options.refine ? await refineSweep(request, deps, first) : first.report;
 * ```
 */
export async function refineSweep(
  request: SweepRequest,
  deps: SweepDependencies,
  first: FirstSweep
): Promise<RunReport> {
  // A cancelled run stops here: the first sweep's figures stand.
  if (deps.signal?.aborted) return first.report;
  const fit = fitRecommendationFromReport(first.report);
  const sizes = fit.fitted ? proposeRefinement(fit, { count: REFINE_SIZES }) : [];
  if (sizes.length === 0) return first.report;
  deps.onProgress?.({
    type: 'phase',
    message: `Refining around the fitted ${fit.fitted ? fit.pick.memoryMb : '?'} MB: measuring ${sizes.join(', ')} MB`
  });
  const refineRequest: SweepRequest = {
    ...request,
    options: { ...request.options, memorySizes: sizes, sizeInvocations: [] },
    seed: (request.seed ?? 1) + 1
  };
  delete refineRequest.options.liveBaseline;
  delete refineRequest.adaptive;
  const second = await withDeployment(deps, request.options.functionName, refineRequest.options, (ready) =>
    measure(refineRequest, deps, ready, undefined)
  );
  const prepared = { ...first.prepared, versions: [...first.prepared.versions, ...second.prepared.versions] };
  const report = buildReport(
    request,
    deps,
    { ...prepared, codeSha256: first.codeSha256 },
    [...first.samples, ...second.measured.samples],
    first.startedAt,
    (deps.now ?? (() => new Date()))()
  );
  report.warnings.push(
    `Refined: ${sizes.join(' and ')} MB were measured in a second sweep around the optimum fitted between the sizes of the first.`
  );
  return report;
}
