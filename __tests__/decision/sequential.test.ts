/** The stopping rule's behaviour, look by look: what it decides, when it stops, what it asks for next. */
import { describe, expect, it } from '@jest/globals';
import { decideAtLook, DecisionError } from '../../src/decision/sequential.js';
import { lookOptions, runLooks, samples, side } from './helpers.js';

const COST = { maxCostIncrease: 0.05, maxErrorRate: 0.01 };
const COST_AND_P99 = { ...COST, maxP99Increase: 0.1 };
const baseline = samples(400, { median: 100, sigma: 0.1, seed: 1 });

describe('decideAtLook', () => {
  it('fails a clear regression at the first look', () => {
    const looks = runLooks(samples(400, { median: 130, sigma: 0.1, seed: 2 }), baseline, COST);

    expect(looks).toHaveLength(1);
    expect(looks[0]).toMatchObject({
      decision: 'fail',
      stop: true,
      why: 'decided',
      nextBatch: 0,
      candidateMeasured: 40
    });
    expect(looks[0]!.reason).toMatch(
      /^Fail at look 1 after 40 invocations at 1024 MB: cost per invocation rose \d+\.\d % \(99\.\d+ % CI/
    );
  });

  it('passes a function that did not change before the cap', () => {
    const looks = runLooks(samples(400, { median: 100, sigma: 0.1, seed: 3 }), baseline, COST);
    const last = looks.at(-1)!;

    expect(last).toMatchObject({ decision: 'pass', stop: true, why: 'decided' });
    expect(last.candidateMeasured).toBeLessThan(400);
    expect(last.reason).toMatch(/^Pass at look \d+ after \d+ invocations at 1024 MB: every budget is within its limit/);
  });

  it('takes a close case to the cap, and calls it inconclusive there', () => {
    const looks = runLooks(samples(400, { median: 105, sigma: 0.15, seed: 4 }), baseline, COST);
    const last = looks.at(-1)!;

    expect(last).toMatchObject({ decision: 'inconclusive', stop: true, why: 'cap', candidateMeasured: 400 });
    expect(looks.map((look) => look.candidateMeasured)).toEqual([40, 80, 120, 160, 200, 240, 280, 320, 360, 400]);
    expect(last.progress.find((item) => item.budget === 'cost-increase')!.alphaSpent).toBeCloseTo(0.05, 12);
    expect(last.reason).toMatch(/^Inconclusive at the cap of 400 invocations at 1024 MB: cost per invocation rose/);
  });

  it('never asks for more than the cap, even when the batch does not divide it', () => {
    const looks = runLooks(samples(400, { median: 105, sigma: 0.15, seed: 4 }), baseline, COST, {
      cap: 130,
      batchSize: 50
    });

    expect(looks.map((look) => look.candidateMeasured)).toEqual([50, 100, 130]);
    expect(looks.map((look) => look.nextBatch)).toEqual([50, 30, 0]);
  });

  it('spends the error rate so that each look’s interval is wider than a one-shot comparison’s', () => {
    const looks = runLooks(samples(400, { median: 105, sigma: 0.15, seed: 4 }), baseline, COST);
    const confidences = looks.map((look) => look.checks[0]!.observed!.confidence);

    for (const confidence of confidences) expect(confidence).toBeGreaterThan(0.95);
    // O'Brien–Fleming-type spending keeps most of α for the last looks.
    expect(confidences[0]!).toBeGreaterThan(0.9999);
    expect(confidences.at(-1)!).toBeLessThan(0.985);
  });

  it('waits for the warm samples a p99 interval needs, jumping straight to them once cost has passed', () => {
    const looks = runLooks(samples(400, { median: 100, sigma: 0.1, seed: 5 }), baseline, COST_AND_P99);
    const waiting = looks.find(
      (look) => look.checks[0]!.budget === 'cost-increase' && look.checks[0]!.verdict === 'pass'
    )!;
    const p99 = waiting.progress.find((item) => item.budget === 'p99-increase')!;

    expect(waiting.checks.find((check) => check.budget === 'p99-increase')!.reason).toMatch(
      /^p99 change cannot be estimated yet: \d+ warm samples in the candidate and 400 in the baseline at 1024 MB, \d+ are needed on each side/
    );
    expect(p99.samplesNeeded).toBeGreaterThanOrEqual(299);
    expect(waiting.candidateMeasured + waiting.nextBatch).toBeGreaterThanOrEqual(299);
    expect(waiting.nextBatch).toBeGreaterThan(40);
    expect(looks.at(-1)).toMatchObject({ decision: 'pass', why: 'decided' });
  });

  it('stops at once when the p99 could never be estimated within the cap, and says how many it needs', () => {
    const looks = runLooks(samples(400, { median: 100, sigma: 0.1, seed: 6 }), baseline, COST_AND_P99, { cap: 200 });
    const last = looks.at(-1)!;

    expect(last).toMatchObject({ decision: 'inconclusive', stop: true, why: 'undecidable' });
    expect(last.candidateMeasured).toBeLessThan(200);
    expect(last.reason).toMatch(
      /no sample up to the cap of 200 can decide p99-increase: p99 change cannot be estimated yet/
    );
    expect(last.progress.find((item) => item.budget === 'p99-increase')).toMatchObject({
      decidable: false,
      samplesNeeded: 299
    });
  });

  it('keeps a settled check as it was, and reads the error rate again at every look', () => {
    const candidate = samples(400, { median: 100, sigma: 0.1, seed: 7, errorEvery: 60 });
    const looks = runLooks(candidate, baseline, { ...COST_AND_P99, maxErrorRate: 0.01 });
    const settled = looks.find((look) => look.progress[0]!.settledAtLook !== undefined)!;
    const after = looks[looks.indexOf(settled) + 1]!;

    expect(after.checks[0]).toBe(settled.checks[0]);
    expect(after.progress[0]).toBe(settled.progress[0]);
    const errorRate = (look: (typeof looks)[number]) => look.checks.find((check) => check.budget === 'error-rate')!;
    expect(errorRate(looks[0]!).verdict).toBe('pass');
    expect(errorRate(looks.at(-1)!).observed!.estimate).toBeCloseTo(
      Math.floor(looks.at(-1)!.candidateMeasured / 60) / looks.at(-1)!.candidateMeasured,
      12
    );
    expect(looks.at(-1)!.decision).not.toBe('pass');
  });

  it('fails the error rate at the first failure when its budget is 0', () => {
    const candidate = samples(400, { median: 100, sigma: 0.1, seed: 8, errorEvery: 30 });
    const [first] = runLooks(candidate, baseline, { maxErrorRate: 0 });

    expect(first).toMatchObject({ decision: 'fail', stop: true, look: 1 });
    expect(first!.checks[0]!.reason).toMatch(/^error rate 2\.5 % \(1 of 40 measured invocations failed;/);
  });

  it('judges absolute budgets and the error rate alone without a baseline', () => {
    const looks = runLooks(samples(400, { median: 100, sigma: 0.1, seed: 9 }), undefined, {
      ...COST_AND_P99,
      maxCostPerMillionUsd: 10
    });

    expect(looks.at(-1)!.checks.map((check) => check.budget)).toEqual(['cost-per-million', 'error-rate']);
    expect(looks.at(-1)).toMatchObject({ decision: 'pass', look: 1 });
  });

  it('waits for a live baseline that has not been measured at this size yet', () => {
    const first = decideAtLook(side(samples(40, { median: 100, sigma: 0.1, seed: 10 })), side([]), COST, {
      ...lookOptions(),
      baselineCap: 400
    });

    expect(first).toMatchObject({ decision: 'inconclusive', stop: false, why: 'continue', nextBatch: 40 });
    expect(first.checks[0]!.reason).toBe(
      'cost per invocation change cannot be judged: the baseline has no measured invocations at 1024 MB.'
    );
  });

  it('gives the same decision for the same samples and seed', () => {
    const candidate = samples(400, { median: 103, sigma: 0.1, seed: 11 });

    expect(runLooks(candidate, baseline, COST_AND_P99)).toEqual(runLooks(candidate, baseline, COST_AND_P99));
  });

  it('refuses options out of range and looks that do not follow their previous one', () => {
    const candidate = samples(80, { median: 130, sigma: 0.1, seed: 12 });
    const first = decideAtLook(side(candidate.slice(0, 40)), side(baseline), COST, lookOptions());
    const decide =
      (extra: Parameters<typeof lookOptions>[0], list = candidate) =>
      () =>
        decideAtLook(side(list), side(baseline), COST, lookOptions(extra));

    expect(decide({ confidence: 1 })).toThrow(DecisionError);
    expect(decide({ cap: 0 })).toThrow('The cap must be a whole number ≥ 1; got 0');
    expect(decide({ minSamples: 1 })).toThrow('minSamples must be a whole number ≥ 2; got 1');
    expect(decide({ runVariation: -0.1 })).toThrow('runVariation must be within [0, 1); got -0.1');
    expect(decide({ previous: first })).toThrow('The previous look at 1024 MB already stopped (decided)');
    const open = decideAtLook(
      side(candidate.slice(0, 40)),
      side(baseline),
      { maxCostIncrease: 0.25, maxErrorRate: 0.01 },
      lookOptions()
    );
    expect(open.stop).toBe(false);
    expect(decide({ previous: open }, candidate.slice(0, 20))).toThrow('fewer than the 40 of the previous look');
    expect(decide({ previous: open, cap: 500 })).toThrow('must stay the same across looks');
    expect(decide({ previous: open, memoryMb: 2048 })).toThrow('The previous look was at 1024 MB, not 2048 MB');
  });
});
