/**
 * The stopping rule keeps its error rates across looks, by simulation with fixed seeds: at a budget's edge
 * (the candidate costs exactly what the budget allows), fails and passes are both errors, and each must stay
 * near half of 1 − confidence however many looks were taken. Looking six times at a plain 95 % interval does not.
 * Durations are log-normal with σ 0.3 (skewed, as Lambda's are) and the first look has 40 samples.
 */
import { describe, expect, it } from '@jest/globals';
import { decideAtLook } from '../../src/decision/sequential.js';
import type { CheckVerdict } from '../../src/compare/types.js';
import type { Sample } from '../../src/sweep/types.js';
import { lookOptions, runLooks, samples, side } from './helpers.js';

const RUNS = 320;
/** Six looks of 40, up to 240 invocations. */
const PLAN = { cap: 240, batchSize: 40 };
/** The budget's edge: no change allowed, none made. */
const EDGE = { maxCostIncrease: 0, maxErrorRate: 1 };

function pairs(run: number): { candidate: Sample[]; baseline: Sample[] } {
  return {
    candidate: samples(PLAN.cap, { median: 100, sigma: 0.3, seed: 10_000 + run }),
    baseline: samples(PLAN.cap, { median: 100, sigma: 0.3, seed: 50_000 + run })
  };
}

/** The same six looks, each a one-shot 95 % comparison: stop at the first that decides. */
function naive(candidate: Sample[], baseline: Sample[]): CheckVerdict {
  for (let made = PLAN.batchSize; made <= PLAN.cap; made += PLAN.batchSize) {
    const once = decideAtLook(side(candidate.slice(0, made)), side(baseline), EDGE, lookOptions({ cap: made }));
    if (once.decision !== 'inconclusive') return once.decision;
  }
  return 'inconclusive';
}

describe('error control across looks', () => {
  const rule = { fail: 0, pass: 0, looks: 0 };
  const plain = { fail: 0, pass: 0 };
  for (let run = 0; run < RUNS; run++) {
    const { candidate, baseline } = pairs(run);
    const looks = runLooks(candidate, baseline, EDGE, PLAN);
    const decision = looks.at(-1)!.decision;
    if (decision !== 'inconclusive') rule[decision]++;
    rule.looks += looks.length;
    const once = naive(candidate, baseline);
    if (once !== 'inconclusive') plain[once]++;
  }
  // 2.5 % each way; the binomial standard error at 320 runs is 0.9 %.
  const bound = 0.025 + 3 * Math.sqrt((0.025 * 0.975) / RUNS);

  it('fails a candidate at the budget’s edge in at most about 2.5 % of runs', () => {
    expect(rule.fail / RUNS).toBeLessThanOrEqual(bound);
  });

  it('passes it in at most about 2.5 % of runs', () => {
    expect(rule.pass / RUNS).toBeLessThanOrEqual(bound);
  });

  it('looked several times on average, so the control was needed', () => {
    expect(rule.looks / RUNS).toBeGreaterThan(4);
    expect((plain.fail + plain.pass) / RUNS).toBeGreaterThan(2 * ((rule.fail + rule.pass) / RUNS));
    expect((plain.fail + plain.pass) / RUNS).toBeGreaterThan(0.08);
  });
});
