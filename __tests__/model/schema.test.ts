import { describe, expect, it } from '@jest/globals';
import {
  MODEL_DEFAULTS,
  MODEL_FILE_NAME,
  ModelError,
  functionModelSchema,
  parseFunctionModel
} from '../../src/emulator/model/schema.js';

/** The message parseFunctionModel throws for a value. */
function messageFor(value: unknown): string {
  try {
    parseFunctionModel(value);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelError);
    return (error as Error).message;
  }
  throw new Error('expected parseFunctionModel to throw');
}

describe('parseFunctionModel', () => {
  it('fills in every default when only cpuMs is given', () => {
    expect(parseFunctionModel({ cpuMs: 200 })).toEqual({
      cpuMs: 200,
      parallelism: 1,
      ioMs: 0,
      noiseSigma: 0.05,
      outlierRate: 0,
      outlierFactor: 3,
      initCpuMs: 150,
      initFixedMs: 80,
      memoryUsedMb: 60,
      errorRate: 0,
      throttleRate: 0,
      timeScale: 0,
      seed: 1
    });
    expect(parseFunctionModel({ cpuMs: 200 })).toEqual({ cpuMs: 200, ...MODEL_DEFAULTS });
  });

  it('keeps given values', () => {
    const full = { ...MODEL_DEFAULTS, cpuMs: 10, parallelism: 4, errorRate: 0.5, seed: -7, timeScale: 1 };
    expect(parseFunctionModel(full)).toEqual(full);
    expect(functionModelSchema.parse(full)).toEqual(full);
  });

  it('names the field, the value and what is allowed', () => {
    expect(messageFor({ cpuMs: 1, errorRate: 1.5 })).toBe(
      'Invalid function model: "errorRate" got 1.5; allowed: a share from 0 to 1'
    );
    expect(messageFor({ cpuMs: -1 })).toBe(
      'Invalid function model: "cpuMs" got -1; allowed: a number of ms >= 0 (required)'
    );
    expect(messageFor({})).toBe('Invalid function model: "cpuMs" missing; allowed: a number of ms >= 0 (required)');
    expect(messageFor({ cpuMs: 1, parallelism: 2.5 })).toContain(
      '"parallelism" got 2.5; allowed: a whole number from 1 to 64'
    );
    expect(messageFor({ cpuMs: 1, parallelism: 65 })).toContain('"parallelism" got 65');
    expect(messageFor({ cpuMs: 1, ioMs: '5' })).toContain('"ioMs" got "5"; allowed: a number of ms >= 0');
    expect(messageFor({ cpuMs: 1, outlierFactor: 0.5 })).toContain('"outlierFactor" got 0.5; allowed: a number >= 1');
    expect(messageFor({ cpuMs: 1, noiseSigma: Infinity })).toContain('"noiseSigma" got Infinity');
  });

  it('lists every bad field and rejects unknown ones', () => {
    const message = messageFor({ cpuMs: 1, throttleRate: -0.1, timeScale: -1, cpuMS: 5 });
    expect(message).toContain('"throttleRate" got -0.1');
    expect(message).toContain('"timeScale" got -1');
    expect(message).toContain('unknown field "cpuMS"; allowed: one of cpuMs, parallelism');
  });

  it('exposes the first bad field on the error', () => {
    try {
      parseFunctionModel({ cpuMs: 1, seed: 1.5 });
      throw new Error('unreachable');
    } catch (error) {
      expect(error).toMatchObject({ field: 'seed', value: 1.5, allowed: 'a whole number' });
    }
  });

  it('rejects a value that is not an object', () => {
    expect(messageFor('fast')).toBe(
      'Invalid function model: got "fast"; allowed: a JSON object with at least "cpuMs", e.g. {"cpuMs": 200}'
    );
    expect(messageFor(null)).toContain('got null');
    expect(messageFor([1])).toContain('got [1]');
  });

  it('names the model file shipped at the root of a code zip', () => {
    expect(MODEL_FILE_NAME).toBe('lambda-cost-gate-model.json');
  });
});
