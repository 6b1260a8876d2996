import { describe, expect, it } from '@jest/globals';
import { niceCeiling, renderCharts } from '../../src/report/chart.js';
import { reportSize, runReport } from './fixtures.js';

describe('renderCharts', () => {
  it('draws cost as bars and p99 as a line against memory, in xychart-beta syntax', () => {
    const report = runReport();
    report.sizes = [
      reportSize(128, { costPerMillionUsd: 0.41234 }),
      reportSize(256, { costPerMillionUsd: 0.45 }),
      reportSize(512, { costPerMillionUsd: 0.6 })
    ];
    const lines = renderCharts(report, 'invocation');
    expect(lines.slice(0, 7)).toEqual([
      '```mermaid',
      'xychart-beta',
      '  title "Cost per 1M invocations by memory size"',
      '  x-axis "Memory (MB)" ["128", "256", "512"]',
      '  y-axis "USD" 0 --> 1',
      '  bar [0.412, 0.45, 0.6]',
      '```'
    ]);
    expect(lines.slice(7)).toEqual([
      '',
      '```mermaid',
      'xychart-beta',
      '  title "Warm p99 duration by memory size"',
      '  x-axis "Memory (MB)" ["128", "256", "512"]',
      '  y-axis "ms" 0 --> 2000',
      '  line [1560, 781, 391]',
      '```'
    ]);
  });

  it('charts only priced sizes, and nothing when fewer than two are priced', () => {
    const report = runReport();
    report.sizes = [reportSize(128, { costPerMillionUsd: null }), reportSize(256), reportSize(512)];
    expect(renderCharts(report, 'invocation')[3]).toBe('  x-axis "Memory (MB)" ["256", "512"]');
    report.sizes = [reportSize(128, { costPerMillionUsd: null }), reportSize(256)];
    expect(renderCharts(report, 'invocation')).toEqual([]);
  });

  it('charts the cost of a million jobs on a job basis, in plain decimals', () => {
    const report = runReport();
    report.sizes = [reportSize(128, { costPerJobUsd: 1.5e-9 }), reportSize(256, { costPerJobUsd: 2e-9 })];
    const lines = renderCharts(report, 'job');
    expect(lines[2]).toBe('  title "Cost per 1M jobs by memory size"');
    expect(lines[5]).toBe('  bar [0.0015, 0.002]');
    expect(lines.join('\n')).not.toMatch(/\de-\d/);
  });

  it('leaves the p99 chart out when fewer than two sizes have durations', () => {
    const report = runReport();
    report.sizes = [reportSize(128), reportSize(256, { duration: null })];
    const lines = renderCharts(report, 'invocation');
    expect(lines.filter((l) => l === 'xychart-beta')).toHaveLength(1);
  });
});

describe('niceCeiling', () => {
  it('rounds up to 1, 2, 2.5 or 5 times a power of ten with some headroom', () => {
    expect(niceCeiling(0.43)).toBe(0.5);
    expect(niceCeiling(412)).toBe(500);
    expect(niceCeiling(1.9)).toBe(2);
    expect(niceCeiling(1.99)).toBe(2.5);
    expect(niceCeiling(0)).toBe(1);
  });
});
