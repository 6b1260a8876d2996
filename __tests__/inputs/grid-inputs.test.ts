/** The grid inputs, as a workflow spells them: what is accepted, and what is refused before AWS is touched. */
import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/errors.js';
import { readGridOptions } from '../../src/inputs/grid-inputs.js';
import { parseGateSettings } from '../../src/inputs/gate-settings.js';
import type { InputName } from '../../src/inputs/names.js';
import { jobDetailsFromResponse, readJobs } from '../../src/sweep/jobs.js';

const reader = (inputs: Partial<Record<InputName, string>>) => (name: InputName) => inputs[name] ?? '';

describe('readGridOptions', () => {
  it('is a memory sweep when neither grid-env nor architectures is set', () => {
    expect(readGridOptions(reader({}))).toBeUndefined();
    expect(readGridOptions(reader({ 'grid-max-cells': '10' }))).toBeUndefined();
  });

  it('reads a knob, the architectures and the cap', () => {
    expect(
      readGridOptions(
        reader({ 'grid-env': ' THREADS = 1, 2,4,8 ', architectures: 'x86_64, arm64', 'grid-max-cells': '32' })
      )
    ).toEqual({
      knob: { name: 'THREADS', values: ['1', '2', '4', '8'] },
      architectures: ['x86_64', 'arm64'],
      maxCells: 32
    });
    expect(readGridOptions(reader({ architectures: 'arm64' }))).toEqual({ architectures: ['arm64'], maxCells: 64 });
  });

  it.each([
    [{ 'grid-env': 'THREADS' }, 'grid-env', 'THREADS'],
    [{ 'grid-env': 'AWS_REGION=a,b' }, 'grid-env', 'AWS_REGION=a,b'],
    [{ 'grid-env': 'THREADS=1,1' }, 'grid-env', 'THREADS=1,1'],
    [{ architectures: 'x86' }, 'architectures', 'x86'],
    [{ architectures: 'arm64,arm64' }, 'architectures', 'arm64,arm64'],
    [{ 'grid-env': 'T=1', 'grid-max-cells': '0' }, 'grid-max-cells', '0'],
    [{ 'grid-env': 'THREADS=1', 'grid-max-cells': '201' }, 'grid-max-cells', '201'],
    [{ 'native-code-architecture': 'sparc' }, 'native-code-architecture', 'sparc']
  ] as Array<[Partial<Record<InputName, string>>, string, string]>)(
    'refuses %j, naming the input and the value',
    (inputs, input, value) => {
      const error = (() => {
        try {
          readGridOptions(reader(inputs));
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(InputError);
      expect(error).toMatchObject({ input, value });
    }
  );

  it('refuses to sweep an architecture the native code was not built for, saying what to do', () => {
    expect(() =>
      readGridOptions(reader({ architectures: 'x86_64,arm64', 'native-code-architecture': 'x86_64' }))
    ).toThrow(
      /architectures.*only x86_64: native-code-architecture says the candidate ships native code built for x86_64 alone, which cannot run on arm64/
    );
    expect(readGridOptions(reader({ architectures: 'arm64', 'native-code-architecture': 'arm64' }))).toEqual({
      architectures: ['arm64'],
      maxCells: 64
    });
  });

  it('refuses a live baseline with a grid: a grid is compared with a stored baseline', () => {
    const inputs = reader({ 'function-name': 'batch', 'grid-env': 'THREADS=1,2', 'baseline-qualifier': 'live' });
    expect(() => parseGateSettings(inputs, { readFile: () => '', newRunId: () => 'r' })).toThrow(
      /baseline-qualifier.*a grid sweep is compared with a stored baseline/
    );
  });
});

describe('jobDetailsFromResponse', () => {
  const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

  it('reads the documented per-job fields and nothing else', () => {
    expect(
      jobDetailsFromResponse(
        bytes({ jobs: 2, threads: 2, jobDurationsMs: [20.5, 21], elapsedMs: 22, echo: 'the payload' })
      )
    ).toEqual({ jobDurationsMs: [20.5, 21], threads: 2, elapsedMs: 22 });
  });

  it('ignores fields of the wrong shape', () => {
    expect(jobDetailsFromResponse(bytes({ threads: 1.5, jobDurationsMs: [1, 'two'], elapsedMs: -1 }))).toEqual({});
    expect(jobDetailsFromResponse(bytes([1, 2]))).toEqual({});
    expect(jobDetailsFromResponse(Buffer.from('not json'))).toEqual({});
  });

  it('reads the count and the per-job fields together, and only the count for a fixed number', () => {
    const response = bytes({ result: { items: [1, 2, 3] }, threads: 3, elapsedMs: 9 });

    expect(readJobs({ kind: 'response-path', path: '$.result.items' }, response)).toEqual({
      jobs: 3,
      threads: 3,
      elapsedMs: 9
    });
    expect(readJobs({ kind: 'fixed', count: 8 }, response)).toEqual({ jobs: 8 });
  });
});
