import { describe, expect, it } from '@jest/globals';
import { annotationsFor } from '../../src/report/annotations.js';
import { check, failingFn, fnOutcome, gateOutcome, interval, sizeComparison } from './fixtures.js';

describe('annotationsFor', () => {
  it('gives one error per failed check, naming function, size and budget', () => {
    expect(annotationsFor(gateOutcome([failingFn(), fnOutcome({ functionName: 'fine' })]))).toEqual([
      {
        level: 'error',
        title: 'my-fn: p99 increase over budget at 1024 MB',
        message: 'p99-increase judged fail. Observed +18.2 % (+12.0…+25.1); budget +10 %.'
      }
    ]);
  });

  it('gives a warning per inconclusive check and nothing for passes', () => {
    const fn = fnOutcome({}, [
      sizeComparison(512, {
        checks: [check('p99-ms', 'inconclusive', { observed: interval(480, 450, 520) }), check('error-rate', 'pass')]
      }),
      sizeComparison(1024, {
        checks: [check('cost-per-million', 'fail', { limit: 1, observed: interval(1.3, 1.2, 1.4) })]
      })
    ]);
    const annotations = annotationsFor(gateOutcome([fn]));
    expect(annotations.map((a) => [a.level, a.title])).toEqual([
      ['warning', 'my-fn: p99 inconclusive at 512 MB'],
      ['error', 'my-fn: cost per 1M over budget at 1024 MB']
    ]);
    expect(annotations[0]!.message).toContain('Observed 480 ms (450 ms…520 ms); budget 500 ms.');
    expect(annotations[1]!.message).toContain('budget 1.00 USD');
  });

  it('turns accepted failures into warnings that name the label', () => {
    const [annotation] = annotationsFor(gateOutcome([failingFn()], { override: { label: 'perf-ok' } }));
    expect(annotation!.level).toBe('warning');
    expect(annotation!.message).toContain('Accepted with the label "perf-ok".');
  });

  it('has none in baseline mode or for a skipped run', () => {
    expect(annotationsFor(gateOutcome([failingFn()], { mode: 'baseline' }))).toEqual([]);
    expect(annotationsFor(gateOutcome([failingFn()], { verdict: 'skipped' }))).toEqual([]);
  });

  it('keeps titles on one line whatever the function name holds', () => {
    const [annotation] = annotationsFor(gateOutcome([failingFn({ functionName: 'evil\nname\u0007' })]));
    expect(annotation!.title).toBe('evil name: p99 increase over budget at 1024 MB');
  });
});
