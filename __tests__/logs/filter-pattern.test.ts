import { describe, expect, it } from '@jest/globals';
import { compileFilterPattern } from '../../src/emulator/logs/filter-pattern.js';
import { AwsError } from '../../src/emulator/http/aws-error.js';
import { jsonReport, reportLine, uuid } from './helpers.js';

const matches = (pattern: string, message: string): boolean => {
  const m = compileFilterPattern(pattern);
  return m === undefined || m(message);
};

describe('filter patterns', () => {
  const report = reportLine({ requestId: uuid(7), durationMs: 12.5 });

  it('matches everything when empty', () => {
    expect(compileFilterPattern(undefined)).toBeUndefined();
    expect(compileFilterPattern('  ')).toBeUndefined();
  });

  it('ANDs plain terms, matches quoted phrases, ORs ?terms and excludes -terms', () => {
    expect(matches('REPORT Duration', report)).toBe(true);
    expect(matches('REPORT ERROR', report)).toBe(false);
    expect(matches(`"REPORT RequestId: ${uuid(7)}"`, report)).toBe(true);
    expect(matches(`"REPORT RequestId: ${uuid(8)}"`, report)).toBe(false);
    expect(matches('?ERROR ?REPORT', report)).toBe(true);
    expect(matches('?ERROR ?WARN', report)).toBe(false);
    expect(matches('REPORT -Init', report)).toBe(true);
    expect(matches('REPORT -Duration', report)).toBe(false);
    expect(matches('report', report)).toBe(false);
    expect(matches('%Duration: 1\\d\\.5%', report)).toBe(true);
  });

  it('evaluates JSON patterns on strings, numbers, wildcards and logic', () => {
    const event = jsonReport(0, { requestId: uuid(3), durationMs: 250.5, initMs: 100 }, 'timeout');
    expect(matches('{ $.type = "platform.report" }', event)).toBe(true);
    expect(matches('{ $.type = platform.report }', event)).toBe(true);
    expect(matches(`{ $.record.requestId = "${uuid(3)}" }`, event)).toBe(true);
    expect(matches('{ $.type = "platform.start" }', event)).toBe(false);
    expect(matches('{ $.type = "platform.*" }', event)).toBe(true);
    expect(matches('{ $.record.metrics.durationMs > 250 && $.record.metrics.durationMs <= 250.5 }', event)).toBe(true);
    expect(matches('{ $.record.metrics.durationMs = 250.5 }', event)).toBe(true);
    expect(
      matches('{ $.record.metrics.durationMs < 100 || ($.record.status = "timeout" && $.type != "x") }', event)
    ).toBe(true);
    expect(matches('{ $.record.metrics.restoreMs NOT EXISTS }', event)).toBe(true);
    expect(matches('{ $.record.metrics.initDurationMs NOT EXISTS }', event)).toBe(false);
    expect(matches('{ $.type = "platform.report" }', report)).toBe(false);
    expect(matches('{ $.list[1] = 2 }', '{"list":[1,2]}')).toBe(true);
    expect(matches('{ $.x IS NULL }', '{"x":null}')).toBe(true);
    expect(matches('{ $.x IS TRUE }', '{"x":true}')).toBe(true);
  });

  it('rejects malformed patterns with InvalidParameterException', () => {
    for (const bad of ['{ $.a = }', '{ $.a > "x" }', '{ a = 1 }', '{ $.a = 1', '[ip, user]', '%(%']) {
      expect(() => compileFilterPattern(bad)).toThrow(AwsError);
      try {
        compileFilterPattern(bad);
      } catch (error) {
        expect((error as AwsError).code).toBe('InvalidParameterException');
      }
    }
  });
});
