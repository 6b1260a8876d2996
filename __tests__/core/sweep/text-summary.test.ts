import { describe, expect, it } from '@jest/globals';
import { recommend } from '../../../src/analyze/recommend.js';
import { summarizeSize } from '../../../src/analyze/size-summary.js';
import { renderTextSummary } from '../../../src/report/text-summary.js';
import { exampleReport, PRICES, sample } from './fixtures.js';

describe('renderTextSummary', () => {
  it('shows one row per size with errors, approximate p99, memory, cost and the marks', () => {
    const base = exampleReport();
    const fast = summarizeSize({
      memoryMb: 2048,
      version: '4',
      samples: Array.from({ length: 4 }, () => sample({ memoryMb: 2048, durationMs: 50, billedDurationMs: 50 })),
      prices: PRICES
    });
    const sizes = [...base.sizes, fast];
    const report = { ...base, sizes, recommendation: recommend(sizes, 'cost', 0.5), warnings: ['watch out'] };
    const lines = renderTextSummary(report);
    expect(lines[0]).toBe('orders (us-east-1, arm64, nodejs22.x); code abc=');
    expect(lines[2]).toMatch(/^memory MB +n +errors +p50 ms +p99 ms +cold +max mem +USD \/ 1M +USD \/ job$/);
    const row1024 = lines.find((line) => line.trimStart().startsWith('1024'))!;
    // 3 measured, 1 throttled (33 %), p50 and p99 of 2 warm samples shown as approximate, 1 cold start.
    expect(row1024).toMatch(/^ +1024 +3 +1 \(33 %\) +~[\d.]+ +~[\d.]+ +1 +\d+ MB +[\d.]+ +[\d.e-]+ *$/);
    expect(lines.find((line) => line.trimStart().startsWith('2048'))).toMatch(/cheapest, fastest, balanced$/);
    expect(lines).toContain('~ too few samples for a confidence interval: see the warnings');
    expect(lines.some((line) => line.startsWith('Recommended (cost): 2048 MB.'))).toBe(true);
    expect(lines.at(-1)).toBe('Warning: watch out');
  });

  it('says why there is no recommendation', () => {
    const base = exampleReport();
    const report = {
      ...base,
      recommendation: { ...base.recommendation, memoryMb: null, reason: 'every size failed' },
      warnings: []
    };
    expect(renderTextSummary(report)).toContain('No recommendation: every size failed');
  });
});
