/**
 * `npm run bench:decision`: is the gate right, and how much does it spend to be right?
 *
 * 2,000 simulated pull requests (bench/decision-sim.ts: the emulator's duration physics in-process, with
 * log-normal noise, outliers, cold-start contamination, run-to-run level and slow drift), seeded. Half leave
 * the function unchanged; the others multiply its CPU work so that the true cost at the gated size rises by
 * 1×, 2× or 3× the 5 % cost budget (the p99 budget is 10 %). Each is judged at its gated size by:
 * - adaptive, stored baseline (400 invocations from an earlier run): batches, the sequential stopping rule
 *   after each (src/decision), up to a cap of 400 (batches of 40) or of 50 (batches of 25: the grid's sample
 *   at the gated size, for equal accuracy);
 * - the action's default: a stored baseline of 300, cap 300 in batches of 50, assuming 1 % run variation;
 * - adaptive, live baseline: the deployed code measured in the same rounds (both arms counted), cap 400 or 800;
 * - fixed grid: 6 sizes × 50 invocations, the gated size judged once by the same rule at 95 %.
 * Every adaptive procedure also pays for its curve: 4 sizes × 10 invocations, fitted, refined by 2 sizes × 10
 * around the fitted optimum (src/analyze/fitted-recommendation.ts, src/decision/refine.ts).
 * It prints false alarms (a fail on unchanged code), detection (a fail) at 1×, 2× and 3× the budget, passes of
 * unchanged code, the share of inconclusive verdicts and invocations per decision; once with both budgets,
 * once with the cost budget alone (where a p99's need for 299+ warm samples does not bind). Then the fitted
 * optimum's error against the model's true optimum. The last line is one JSON object with every figure.
 *
 * PULL_REQUESTS=300 runs fewer; SPENDING=pocock switches the spending function.
 */
import { performance } from 'node:perf_hooks';
import { recommend } from '../src/analyze/recommend.js';
import {
  fitRecommendation,
  type FittedPoint,
  memoryFloor,
  optimaOnGrid
} from '../src/analyze/fitted-recommendation.js';
import { summarizeSize, type SizeSummary } from '../src/analyze/size-summary.js';
import type { Budgets, CheckVerdict } from '../src/compare/types.js';
import { STORED_BASELINE_RUN_VARIATION } from '../src/compare/run-variation.js';
import { proposeRefinement } from '../src/decision/refine.js';
import { batchSizeFor } from '../src/gate/sampling.js';
import { decideAtLook, type LookDecision } from '../src/decision/sequential.js';
import type { SpendingFunction } from '../src/decision/spending.js';
import { priceTable } from '../src/pricing/cost.js';
import type { Strategy } from '../src/sweep/types.js';
import type { Sample } from '../src/sweep/types.js';
import * as sim from './decision-sim.js';

const SEED = 20261125;
const PULL_REQUESTS = Number(process.env.PULL_REQUESTS ?? 2000);
/** The stopping rule's spending function; its default unless SPENDING=pocock (or obrien-fleming) says otherwise. */
const SPENDING = process.env.SPENDING as SpendingFunction | undefined;
const PRICES = priceTable('us-east-1', 'x86_64');
const CONFIDENCE = 0.95;
/** The relative standard deviation of a run's level in this world (1 % level, drift up to ±2 % over a run). */
const RUN_VARIATION = 0.012;
interface Procedure {
  label: string;
  cap: number;
  batch: number;
  /** A live baseline: measured in the same rounds as the candidate (same environment), both arms counted. */
  live: boolean;
  /** One look at the cap: the fixed grid's comparison at the gated size. */
  once?: boolean;
  /** Invocations of the stored baseline (default 400). */
  baselineInvocations?: number;
  /** The run variation the rule assumes (default: this world's, RUN_VARIATION; 0 for a live baseline). */
  runVariation?: number;
}
const PROCEDURES: Record<'action' | 'stored400' | 'stored50' | 'live400' | 'live800' | 'grid', Procedure> = {
  // Exactly what the action does by default: gate-invocations 300 in batches of 50, a baseline of 300, and the
  // 1 % run variation it assumes (this world's is 1.2 % plus drift: the action's assumption is tested too).
  action: {
    label: 'the action: adaptive, stored baseline of 300, cap 300 (50/look)',
    cap: 300,
    batch: batchSizeFor(300),
    live: false,
    baselineInvocations: 300,
    runVariation: STORED_BASELINE_RUN_VARIATION
  },
  stored400: { label: 'adaptive, stored baseline, cap 400 (40/look)', cap: 400, batch: 40, live: false },
  stored50: { label: 'adaptive, stored baseline, cap 50 (25/look)', cap: 50, batch: 25, live: false },
  live400: { label: 'adaptive, live baseline, cap 400 (40/look; both arms counted)', cap: 400, batch: 40, live: true },
  live800: {
    label: 'adaptive, live baseline, cap 800 (100/look; both arms counted)',
    cap: 800,
    batch: 100,
    live: true
  },
  grid: { label: 'fixed grid 6 × 50, stored baseline', cap: 50, batch: 50, live: false, once: true }
};
type ProcedureName = keyof typeof PROCEDURES;
const CAP = 800;
const GRID_SIZES = [128, 256, 512, 1024, 1536, 3008];
const GRID_INVOCATIONS = 50;
const CURVE_INVOCATIONS = 10;
/** The adaptive curve: the floor, 1 vCPU, 2 and 4 vCPUs (one or two of them may be the gated size's neighbours). */
const CURVE_SIZES = (floor: number) => [floor, 1769, 3538, 7076];
const SCENARIOS: Record<'both' | 'cost', Budgets> = {
  both: { maxCostIncrease: 0.05, maxP99Increase: 0.1, maxErrorRate: 0.01 },
  cost: { maxCostIncrease: 0.05, maxErrorRate: 0.01 }
};
const STRATEGIES: Strategy[] = ['cost', 'speed', 'balanced'];

interface Tally {
  verdicts: Record<number, CheckVerdict[]>;
  invocations: number[];
}
const tally = (): Tally => ({ verdicts: { 0: [], 1: [], 2: [], 3: [] }, invocations: [] });
const results = Object.fromEntries(
  Object.keys(PROCEDURES).map((name) => [name, { both: tally(), cost: tally() }])
) as Record<ProcedureName, Record<'both' | 'cost', Tally>>;
const errors = {
  adaptive: new Map<Strategy, number[][]>(),
  grid: new Map<Strategy, number[][]>(),
  gridSampled: new Map<Strategy, number[][]>()
};
for (const map of Object.values(errors)) for (const strategy of STRATEGIES) map.set(strategy, []);

const started = performance.now();
for (let pr = 0; pr < PULL_REQUESTS; pr++) {
  const fn = sim.drawFunction(sim.streamFor(SEED, pr, 'function'));
  const multiple = pr % 2 === 0 ? 0 : 1 + ((pr >> 1) % 3);
  const factor = multiple === 0 ? 1 : sim.regressionFactor(fn, 0.05 * multiple, PRICES);
  const model = { ...fn.model, cpuMs: fn.model.cpuMs * factor };
  const baselineRun = sim.drawEnvironment(sim.streamFor(SEED, pr, 'baseline run'));
  const candidateRun = sim.drawEnvironment(sim.streamFor(SEED, pr, 'candidate run'));
  const baseline = sim.invocations(fn, fn.model, fn.gatedMb, 400, baselineRun, sim.streamFor(SEED, pr, 'baseline'));
  // A live baseline runs in the candidate's rounds: the same environment, its own invocations.
  const liveBaseline = sim.invocations(fn, fn.model, fn.gatedMb, CAP, candidateRun, sim.streamFor(SEED, pr, 'live'));
  const stream = sim.invocations(fn, model, fn.gatedMb, CAP, candidateRun, sim.streamFor(SEED, pr, 'candidate'));
  const curve = (memoryMb: number, count: number) =>
    sim.invocations(fn, model, memoryMb, count, candidateRun, sim.streamFor(SEED, pr, `curve ${memoryMb}`));

  // The adaptive curve: the gated size's first 50, four sizes spread over the CPU regimes, then a refinement.
  const gated = summary(fn.gatedMb, stream.slice(0, GRID_INVOCATIONS));
  const floor = memoryFloor([gated]).memoryMb;
  const spread = CURVE_SIZES(floor).filter((size) => Math.abs(size - fn.gatedMb) > 0.1 * fn.gatedMb);
  const sizes = [gated, ...spread.map((memoryMb) => summary(memoryMb, curve(memoryMb, CURVE_INVOCATIONS)))];
  const first = fitRecommendation(sizes, PRICES, { strategy: 'balanced' });
  if (first.fitted) {
    for (const memoryMb of proposeRefinement(first, { count: 2 })) {
      sizes.push(summary(memoryMb, curve(memoryMb, CURVE_INVOCATIONS)));
    }
  }
  score(errors.adaptive, sizes, model);
  const curveSpent = (sizes.length - 1) * CURVE_INVOCATIONS;

  for (const scenario of ['both', 'cost'] as const) {
    for (const [name, procedure] of Object.entries(PROCEDURES) as Array<[ProcedureName, Procedure]>) {
      const decision = adaptiveDecision(
        stream,
        procedure.live ? liveBaseline : baseline,
        SCENARIOS[scenario],
        fn.gatedMb,
        pr,
        procedure
      );
      const gatedSpent = decision.candidateMeasured * (procedure.live ? 2 : 1);
      results[name][scenario].verdicts[multiple]!.push(decision.decision);
      results[name][scenario].invocations.push(
        procedure.once ? GRID_SIZES.length * GRID_INVOCATIONS : gatedSpent + curveSpent
      );
    }
  }

  // The fixed grid's curve: six sizes × 50 (the gated size's first 50 are the ones it judged).
  const gridSizes = GRID_SIZES.map((memoryMb) =>
    summary(memoryMb, memoryMb === fn.gatedMb ? stream.slice(0, GRID_INVOCATIONS) : curve(memoryMb, GRID_INVOCATIONS))
  );
  score(errors.grid, gridSizes, model);
  const gridTruth = optimaOnGrid(sim.trueCurve(model, memoryFloor(gridSizes).memoryMb, PRICES), 0.5);
  for (const strategy of STRATEGIES) {
    const picked = recommend(gridSizes, strategy, 0.5);
    if (picked.memoryMb !== null) {
      errors.gridSampled.get(strategy)!.push(errorOf(strategy, picked.memoryMb, gridTruth, model));
    }
  }
}
const seconds = (performance.now() - started) / 1000;

/** The adaptive procedure at the gated size: batches until the stopping rule stops. */
function adaptiveDecision(
  stream: Sample[],
  baseline: Sample[],
  budgets: Budgets,
  memoryMb: number,
  pr: number,
  procedure: Procedure
): LookDecision {
  let decision: LookDecision | undefined;
  let made = procedure.batch;
  for (;;) {
    // A live baseline has made as many invocations as the candidate; a stored one has all of its own.
    decision = decideAtLook(
      side(stream.slice(0, made)),
      side(procedure.live ? baseline.slice(0, made) : baseline.slice(0, procedure.baselineInvocations ?? 400)),
      budgets,
      {
        memoryMb,
        confidence: CONFIDENCE,
        cap: procedure.cap,
        batchSize: procedure.batch,
        seed: pr,
        runVariation: procedure.live ? 0 : (procedure.runVariation ?? RUN_VARIATION),
        ...(SPENDING !== undefined ? { spending: SPENDING } : {}),
        ...(procedure.live ? { baselineCap: procedure.cap } : {}),
        ...(decision ? { previous: decision } : {})
      }
    );
    if (decision.stop) return decision;
    made += decision.nextBatch;
  }
}

function side(samples: readonly Sample[]) {
  return { samples, pricing: PRICES };
}

function summary(memoryMb: number, samples: Sample[]): SizeSummary {
  return summarizeSize({ memoryMb, version: '1', samples, prices: PRICES });
}

/** The fitted optimum of each strategy against the true one over the same floor. */
function score(
  into: Map<Strategy, number[][]>,
  sizes: SizeSummary[],
  model: Parameters<typeof sim.trueCurve>[0]
): void {
  const fitted = fitRecommendation(sizes, PRICES, { strategy: 'balanced' });
  if (!fitted.fitted) return;
  const truth = optimaOnGrid(sim.trueCurve(model, fitted.floor.memoryMb, PRICES), 0.5);
  const picks = { cost: fitted.cheapest, speed: fitted.fastest, balanced: fitted.balanced };
  for (const strategy of STRATEGIES)
    into.get(strategy)!.push(errorOf(strategy, picks[strategy].memoryMb, truth, model));
}

/** [|Δ MB|, true cost and true mean duration at the pick / at the true optimum − 1 (in %)]. */
function errorOf(
  strategy: Strategy,
  memoryMb: number,
  truth: { cheapest: FittedPoint; fastest: FittedPoint; balanced: FittedPoint },
  model: Parameters<typeof sim.trueCurve>[0]
): number[] {
  const best = strategy === 'cost' ? truth.cheapest : strategy === 'speed' ? truth.fastest : truth.balanced;
  const at = sim.truePoint(model, memoryMb, PRICES);
  return [
    Math.abs(memoryMb - best.memoryMb),
    100 * (at.predictedCostUsd / best.predictedCostUsd - 1),
    100 * (at.predictedMeanMs / best.predictedMeanMs - 1)
  ];
}

// The table.
const share = (verdicts: CheckVerdict[], verdict: CheckVerdict) =>
  Number((verdicts.filter((v) => v === verdict).length / verdicts.length).toFixed(4));
const pct = (value: number) => `${(100 * value).toFixed(1)} %`;
const round = (value: number) => Number(value.toFixed(2));
const signed = (percent: number) => `${percent > 0 ? '+' : ''}${percent.toFixed(2)} %`;
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const quantile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
};
const figures = (t: Tally) => {
  const all = Object.values(t.verdicts).flat();
  return {
    falseAlarmRate: share(t.verdicts[0]!, 'fail'),
    detection1x: share(t.verdicts[1]!, 'fail'),
    detection2x: share(t.verdicts[2]!, 'fail'),
    detection3x: share(t.verdicts[3]!, 'fail'),
    passUnchanged: share(t.verdicts[0]!, 'pass'),
    inconclusiveShare: share(all, 'inconclusive'),
    invocationsPerDecision: Number(mean(t.invocations).toFixed(1))
  };
};
const print = (line: string) => console.log(line);
const gridInvocations = GRID_SIZES.length * GRID_INVOCATIONS;
print(`Decision quality: ${PULL_REQUESTS} simulated pull requests (seed ${SEED}), ${seconds.toFixed(1)} s`);
print('');
print(
  '| budgets | procedure | false alarms (target ≤ 1 %) | pass, unchanged | detected 1× | detected 2× (target ≥ 95 %) | detected 3× | inconclusive | invocations per decision |'
);
print('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const decisions: Record<string, unknown> = {};
for (const scenario of ['both', 'cost'] as const) {
  const label = scenario === 'both' ? 'cost 5 % + p99 10 %' : 'cost 5 % only';
  for (const [name, procedure] of Object.entries(PROCEDURES) as Array<[ProcedureName, Procedure]>) {
    const f = figures(results[name][scenario]);
    decisions[`${name}:${scenario}`] = f;
    const spent = `${f.invocationsPerDecision.toFixed(0)} (${pct(f.invocationsPerDecision / gridInvocations)} of grid)`;
    print(
      `| ${label} | ${procedure.label} | ${pct(f.falseAlarmRate)} | ${pct(f.passUnchanged)} | ${pct(f.detection1x)} | ` +
        `${pct(f.detection2x)} | ${pct(f.detection3x)} | ${pct(f.inconclusiveShare)} | ${spent} |`
    );
  }
}
print('');
print('Recommendation error of the fitted optimum against the model’s true optimum (same memory floor; cost and');
print('mean duration at the pick against those at the true optimum, both from the true model):');
print(
  '| strategy | procedure | median |Δ| MB | p90 |Δ| MB | median Δ cost | p90 Δ cost | median Δ duration | p90 Δ duration |'
);
print('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
const recommendation: Record<string, unknown> = {};
for (const strategy of STRATEGIES) {
  for (const [procedure, label] of [
    ['adaptive', 'adaptive fit (4 + 2 sizes × 10)'],
    ['grid', 'fit of the 6 × 50 grid'],
    ['gridSampled', 'best sampled grid size (no fit)']
  ] as const) {
    const rows = errors[procedure].get(strategy)!;
    const mb = rows.map((row) => row[0]!);
    const cost = rows.map((row) => row[1]!);
    const duration = rows.map((row) => row[2]!);
    const figure = {
      medianErrorMb: quantile(mb, 0.5),
      p90ErrorMb: quantile(mb, 0.9),
      medianCostExcessPct: round(quantile(cost, 0.5)),
      p90CostExcessPct: round(quantile(cost, 0.9)),
      medianDurationExcessPct: round(quantile(duration, 0.5)),
      p90DurationExcessPct: round(quantile(duration, 0.9))
    };
    recommendation[`${procedure}:${strategy}`] = figure;
    print(
      `| ${strategy} | ${label} | ${figure.medianErrorMb} | ${figure.p90ErrorMb} | ${signed(figure.medianCostExcessPct)} | ` +
        `${signed(figure.p90CostExcessPct)} | ${signed(figure.medianDurationExcessPct)} | ${signed(figure.p90DurationExcessPct)} |`
    );
  }
}
type Figures = ReturnType<typeof figures>;
const of = (key: string) => decisions[key] as Figures;
const equalAccuracy = of('stored50:cost').invocationsPerDecision / gridInvocations;
const targets = {
  falseAlarmsAtMost1Pct: Object.values(decisions).every((f) => (f as Figures).falseAlarmRate <= 0.01),
  detection2xAtLeast95Pct: Object.fromEntries(
    Object.keys(PROCEDURES).map((name) => [name, of(`${name}:both`).detection2x >= 0.95])
  ),
  invocationsAtEqualAccuracy: {
    adaptive: of('stored50:cost').invocationsPerDecision,
    grid: gridInvocations,
    share: Number(equalAccuracy.toFixed(3)),
    atMost40Pct: equalAccuracy <= 0.4
  }
};
print('');
print(`Targets: ${JSON.stringify(targets)}`);
print(
  JSON.stringify({
    pullRequests: PULL_REQUESTS,
    seed: SEED,
    seconds: Number(seconds.toFixed(1)),
    gridInvocations,
    targets,
    decisions,
    recommendation
  })
);
