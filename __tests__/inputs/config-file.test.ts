import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/errors.js';
import { configFileJsonSchema, FUNCTION_KEYS, readConfigFile } from '../../src/inputs/config-file.js';
import { parseGateSettings } from '../../src/inputs/gate-settings.js';
import { GateInputs as Gate, Inputs, SweepInputs as Sweep } from '../../src/inputs/names.js';

const GATE_YML = `
functions:
  - function-name: orders-api
    code: dist/orders.zip
    max-p99-increase: 15%
  - function-name: arn:aws:lambda:eu-west-1:123456789012:function:billing
    gate-memory: all
    invocations: 40
    include-payloads: true
  - function-name: search
    max-cost-per-million: 2.5
    monthly-invocations: 1e6
    max-error-rate: ''
defaults:
  invocations: 30
  max-error-rate: 2%
  baseline-qualifier: live
`;

const files: Record<string, string> = { 'gate.yml': GATE_YML };

function settingsFor(inputs: Record<string, string>) {
  let runIds = 0;
  const settings = parseGateSettings((name) => inputs[name] ?? '', {
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: ${path}`);
      return text;
    },
    newRunId: () => `run-${++runIds}`
  });
  return { settings, runIds };
}

describe('config-file', () => {
  it('gives each function its own keys, then defaults, then the action inputs', () => {
    const { settings, runIds } = settingsFor({
      [Gate.ConfigFile]: 'gate.yml',
      [Sweep.Invocations]: '100',
      [Sweep.Strategy]: 'cost',
      [Gate.MaxErrorRate]: '5%',
      [Gate.MaxCostIncrease]: '3%'
    });

    const [orders, billing, search] = settings.functions;
    expect(settings.functions).toHaveLength(3);
    expect(orders).toMatchObject({
      functionName: 'orders-api',
      budgets: { maxCostIncrease: 0.03, maxP99Increase: 0.15, maxErrorRate: 0.02 },
      gateMemory: { kind: 'current' },
      baselineQualifier: 'live'
    });
    expect(orders?.region).toBeUndefined();
    expect(orders?.sweep.options).toMatchObject({
      invocations: 30,
      strategy: 'cost',
      code: { kind: 'zip', path: 'dist/orders.zip' }
    });

    expect(billing).toMatchObject({
      functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:billing',
      region: 'eu-west-1',
      gateMemory: { kind: 'all' },
      budgets: { maxCostIncrease: 0.03, maxP99Increase: 0.1, maxErrorRate: 0.02 }
    });
    expect(billing?.sweep.options).toMatchObject({ invocations: 40, region: 'eu-west-1' });
    expect(billing?.sweep.options.code).toBeUndefined();
    expect(billing?.sweep.includePayloads).toBe(true);

    // An empty string in an entry is an empty input: the default 1 %, not the defaults' 2 % or the action's 5 %.
    expect(search?.budgets).toEqual({
      maxCostIncrease: 0.03,
      maxP99Increase: 0.1,
      maxCostPerMillionUsd: 2.5,
      maxErrorRate: 0.01
    });
    expect(search?.monthlyInvocations).toEqual({ kind: 'fixed', perMonth: 1_000_000 });

    // One run id for the whole run.
    expect(runIds).toBe(1);
    expect(settings.functions.map((fn) => fn.sweep.options.runId)).toEqual(['run-1', 'run-1', 'run-1']);
  });

  it('names the function entry when an action input is valid but the file overrides it badly', () => {
    files['bad.yml'] = 'functions:\n  - function-name: a\n  - function-name: b\n    gate-invocations: 10\n';

    let thrown: unknown;
    try {
      settingsFor({ [Gate.ConfigFile]: 'bad.yml', [Gate.GateInvocations]: '400' });
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as Error).message).toBe(
      'Invalid input "config-file functions[1].gate-invocations": got "10"; allowed: a whole number from 50 (the invocations input) to 10000'
    );
  });

  it('keeps the action input name for a bad value that came from the action', () => {
    expect(() => settingsFor({ [Gate.ConfigFile]: 'gate.yml', [Sweep.Warmup]: 'many' })).toThrow(
      'Invalid input "warmup": got "many"'
    );
  });

  it('turns numbers and booleans into the strings an input would hold', () => {
    const file = readConfigFile('gate.yml', (path) => files[path] ?? '');

    expect(file.functions[1]).toEqual({
      [Inputs.FunctionName]: 'arn:aws:lambda:eu-west-1:123456789012:function:billing',
      [Gate.GateMemory]: 'all',
      [Sweep.Invocations]: '40',
      [Sweep.IncludePayloads]: 'true'
    });
    expect(file.defaults).toEqual({
      [Sweep.Invocations]: '30',
      [Gate.MaxErrorRate]: '2%',
      [Gate.BaselineQualifier]: 'live'
    });
  });

  it('exports a JSON Schema that requires function-name and refuses unknown keys', () => {
    const schema = configFileJsonSchema() as {
      required: string[];
      additionalProperties: boolean;
      properties: {
        functions: {
          minItems: number;
          maxItems: number;
          items: { required: string[]; additionalProperties: boolean; properties: object };
        };
      };
    };

    expect(schema.required).toEqual(['functions']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.functions).toMatchObject({ minItems: 1, maxItems: 100 });
    expect(schema.properties.functions.items.required).toEqual([Inputs.FunctionName]);
    expect(schema.properties.functions.items.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties.functions.items.properties).sort()).toEqual([...FUNCTION_KEYS].sort());
    expect(FUNCTION_KEYS).not.toContain(Sweep.RunId);
    expect(FUNCTION_KEYS).not.toContain(Gate.Mode);
  });
});
