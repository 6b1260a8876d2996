/** The comment's sampling lines and fitted recommendation, as a reader sees them. */
import { describe, expect, it } from '@jest/globals';
import { renderFunctionComment } from '../../src/report/comment.js';
import { renderFitted, renderSampling } from '../../src/report/comment-sampling.js';
import type { FittedRecommendationSummary, SizeSampling } from '../../src/report/run-report-extras.js';
import { fnOutcome, gateOutcome, runReport } from './fixtures.js';

const STOPPED_EARLY: SizeSampling = {
  memoryMb: 1024,
  mode: 'adaptive',
  looks: 1,
  invocations: 50,
  cap: 300,
  stoppedBecause: 'decided',
  costUsd: 0.00123,
  reason: 'Fail at look 1 after 50 invocations at 1024 MB: cost per invocation rose 81 %.'
};

const FITTED: FittedRecommendationSummary = {
  fitted: true,
  reason: 'Fitted cost optimum: 480 MB.',
  floor: { memoryMb: 192, maxMemoryUsedMb: 117, marginMb: 64, reason: 'Max Memory Used 117 MB + 64 MB margin.' },
  model: { fixedMs: 5, cpuMs: 100, kneeMb: 1769, r2: 0.987, kneeIdentified: true },
  p99Estimated: true,
  cost: {
    memoryMb: 480,
    predictedMeanMs: 380,
    predictedP99Ms: 412,
    predictedCostPerMillionUsd: 3.3,
    position: 'between'
  },
  speed: {
    memoryMb: 1769,
    predictedMeanMs: 105,
    predictedP99Ms: 118,
    predictedCostPerMillionUsd: 3.1,
    position: 'sampled'
  },
  balanced: {
    memoryMb: 1024,
    predictedMeanMs: 178,
    predictedP99Ms: 199,
    predictedCostPerMillionUsd: 3.2,
    position: 'sampled'
  }
};

describe('renderSampling', () => {
  it('says how much of the cap a gated size used, what it cost and why it stopped', () => {
    const fn = fnOutcome({ report: runReport({ sampling: [STOPPED_EARLY] }) });

    expect(renderSampling(fn)).toEqual([
      '**Sampling** at 1024 MB: 50 of up to 300 invocations, 1 look (adaptive), 0.00123 USD: decided; 83 % of the cap not needed.'
    ]);
  });

  it('lists several gated sizes, and fixed sampling as one go', () => {
    const fixed: SizeSampling = {
      ...STOPPED_EARLY,
      memoryMb: 2048,
      mode: 'fixed',
      invocations: 300,
      stoppedBecause: 'cap'
    };
    const fn = fnOutcome({ report: runReport({ sampling: [STOPPED_EARLY, fixed] }) });

    const lines = renderSampling(fn);

    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(
      '- **Sampling** at 2048 MB: 300 of up to 300 invocations, in one go, 0.00123 USD: cap reached.'
    );
  });

  it('says nothing for a report without sampling (a plain sweep)', () => {
    expect(renderSampling(fnOutcome())).toEqual([]);
  });
});

describe('renderFitted', () => {
  it('gives each strategy’s fitted size with predicted cost and p99, and the memory floor', () => {
    const [line] = renderFitted(fnOutcome({ report: runReport({ fittedRecommendation: FITTED }) }));

    expect(line).toBe(
      '**Fitted between sampled sizes** (fit R² 0.99): cost **480 MB** (3.30 USD per 1M invocations, p99 412 ms, between sampled sizes); ' +
        'speed **1769 MB** (3.10 USD per 1M invocations, p99 118 ms); balanced **1024 MB** (3.20 USD per 1M invocations, p99 199 ms). ' +
        'Memory floor 192 MB: Max Memory Used 117 MB + 64 MB margin.'
    );
  });

  it('marks a pick beyond the sampled sizes as extrapolated, and ends the floor sentence', () => {
    const below = { ...FITTED.cost!, memoryMb: 128, position: 'below' as const };
    const floor = { ...FITTED.floor!, reason: '128 MB is the smallest size' };
    const [line] = renderFitted(
      fnOutcome({ report: runReport({ fittedRecommendation: { ...FITTED, cost: below, floor } }) })
    );

    expect(line).toContain(
      'cost **128 MB** (3.30 USD per 1M invocations, p99 412 ms, extrapolated below the sampled sizes)'
    );
    expect(line).toMatch(/Memory floor 192 MB: 128 MB is the smallest size\.$/);
  });

  it('says why there is no fitted curve', () => {
    const fn = fnOutcome({
      report: runReport({ fittedRecommendation: { fitted: false, reason: 'Only 2 sizes were measured.' } })
    });

    expect(renderFitted(fn)).toEqual(['<sub>No fitted curve: Only 2 sizes were measured.</sub>']);
  });
});

describe('the whole comment', () => {
  it('shows the sampling line right under the table, and the fitted sizes after the recommendation', () => {
    const fn = fnOutcome({ report: runReport({ sampling: [STOPPED_EARLY], fittedRecommendation: FITTED }) });

    const body = renderFunctionComment({
      marker: '<!-- m -->',
      outcome: gateOutcome([fn]),
      fn,
      run: {},
      now: new Date('2026-03-10T12:00:00Z')
    });

    const sampling = body.indexOf('**Sampling** at 1024 MB');
    const recommended = body.indexOf('**Recommended size**');
    const fitted = body.indexOf('**Fitted between sampled sizes**');
    expect(sampling).toBeGreaterThan(body.indexOf('| ▶ **1024 MB** (current)'));
    expect(body.indexOf('| ▶ **1024 MB** (current)')).toBeGreaterThan(0);
    expect(recommended).toBeGreaterThan(sampling);
    expect(fitted).toBeGreaterThan(recommended);
    // The look that decided judged at a stricter confidence than 95 %: the legend must not claim 95 %.
    expect(body).toContain('with its interval (at the stricter confidence of the look that decided it, overall 95 %)');
  });
});
