import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/errors.js';
import { parseGateSettings } from '../../src/inputs/gate-settings.js';
import { GateInputs as Gate, Inputs, SweepInputs as Sweep } from '../../src/inputs/names.js';
import { DEFAULT_MEMORY_SIZES } from '../../src/sweep/plan.js';

const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:billing';

/** 101 functions, one too many; errors show such a value cut short. */
const TOO_MANY = JSON.stringify(Array.from({ length: 101 }, (_, i) => ({ 'function-name': `fn-${i}` })));

/** Files the config-file rows read; anything else is missing. */
const files: Record<string, string> = {
  'not-yaml.yml': 'functions: [\n  - a',
  'duplicate-key.yml': 'functions:\n  - function-name: a\nfunctions: []\n',
  'list.yml': '- function-name: orders\n',
  'scalar.yml': 'just some text\n',
  'empty.yml': '',
  'unknown-key.yml': 'functions:\n  - function-name: a\n  - function-name: b\n    max-p99-increse: 15%\n',
  'unknown-top.yml': 'function:\n  - function-name: a\n',
  'defaults-name.yml': 'functions:\n  - function-name: a\ndefaults:\n  function-name: b\n',
  'duplicate.yml': 'functions:\n  - function-name: orders\n  - function-name: orders\n',
  'duplicate-arn.yml': `functions:\n  - function-name: billing\n  - function-name: ${ARN}\n`,
  'no-functions.yml': 'functions: []\n',
  'no-name.yml': 'functions:\n  - code: dist/a.zip\n',
  'bad-value.yml': 'functions:\n  - function-name: a\n  - function-name: b\n    max-p99-increase: 15\n',
  'bad-default.yml': 'functions:\n  - function-name: a\ndefaults:\n  invocations: 0\n',
  'null-value.yml': 'functions:\n  - function-name: a\n    code:\n',
  'entry-not-mapping.yml': 'functions:\n  - orders\n',
  'too-many.yml': `functions: ${TOO_MANY}`,
  'qualified.yml': 'functions:\n  - function-name: a\n  - function-name: "b:live"\n'
};
const context = {
  readFile: (path: string) => {
    const text = files[path];
    if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
    return text;
  },
  newRunId: () => 'run-1'
};
const parse = (inputs: Record<string, string>) => parseGateSettings((name) => inputs[name] ?? '', context);

/** The InputError a parse throws. */
function failure(inputs: Record<string, string>): InputError {
  try {
    parse(inputs);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error(`expected an InputError for ${JSON.stringify(inputs)}`);
}

/** Inputs that name a config file instead of a function. */
const file = (path: string) => ({ [Inputs.FunctionName]: '', [Gate.ConfigFile]: path });

/**
 * Bad inputs, one per row: what is set (function-name is 'orders' unless the row says otherwise), the
 * input the error must name, the value it must quote, and words of what is allowed.
 */
const BAD_INPUTS: Array<[set: Record<string, string>, input: string, value: string, allowed?: string]> = [
  [{ [Gate.MaxCostIncrease]: '5' }, Gate.MaxCostIncrease, '5', 'a percentage such as 5%'],
  [{ [Gate.MaxCostIncrease]: '0.05' }, Gate.MaxCostIncrease, '0.05', 'ambiguous'],
  [{ [Gate.MaxCostIncrease]: '-5%' }, Gate.MaxCostIncrease, '-5%'],
  [{ [Gate.MaxCostIncrease]: 'five%' }, Gate.MaxCostIncrease, 'five%'],
  [{ [Gate.MaxP99Increase]: '10' }, Gate.MaxP99Increase, '10', 'a percentage'],
  [{ [Gate.MaxP99Increase]: '-10%' }, Gate.MaxP99Increase, '-10%'],
  [{ [Gate.MaxP99Increase]: '10%%' }, Gate.MaxP99Increase, '10%%'],
  [{ [Gate.MaxErrorRate]: '1' }, Gate.MaxErrorRate, '1', 'a fraction below 1'],
  [{ [Gate.MaxErrorRate]: '101%' }, Gate.MaxErrorRate, '101%', '0% to 100%'],
  [{ [Gate.MaxErrorRate]: '-1%' }, Gate.MaxErrorRate, '-1%'],
  [{ [Gate.MaxErrorRate]: 'low' }, Gate.MaxErrorRate, 'low'],
  [{ [Gate.MaxCostPerMillion]: '-3' }, Gate.MaxCostPerMillion, '-3', 'USD'],
  [{ [Gate.MaxCostPerMillion]: '0' }, Gate.MaxCostPerMillion, '0', 'a positive'],
  [{ [Gate.MaxCostPerMillion]: '12.5 EUR' }, Gate.MaxCostPerMillion, '12.5 EUR'],
  [{ [Gate.MaxCostPerMillion]: '$' }, Gate.MaxCostPerMillion, '$'],
  [{ [Gate.MaxP99Ms]: '0' }, Gate.MaxP99Ms, '0', 'milliseconds'],
  [{ [Gate.MaxP99Ms]: '-250' }, Gate.MaxP99Ms, '-250'],
  [{ [Gate.MaxP99Ms]: '2.5s' }, Gate.MaxP99Ms, '2.5s'],
  [{ [Gate.MaxMonthlyIncrease]: '-1' }, Gate.MaxMonthlyIncrease, '-1'],
  [{ [Gate.MaxMonthlyIncrease]: '5%' }, Gate.MaxMonthlyIncrease, '5%'],
  [{ [Gate.MaxMonthlyIncrease]: '50' }, Gate.MonthlyInvocations, '', 'since max-monthly-increase is set ("50")'],
  [{ [Gate.Mode]: 'pr' }, Gate.Mode, 'pr', 'auto, baseline, compare or right-size'],
  [{ [Gate.Mode]: 'Compare' }, Gate.Mode, 'Compare'],
  [{ [Gate.Comment]: 'sometimes' }, Gate.Comment, 'sometimes', 'always, on-change or never'],
  [{ [Gate.OnInconclusive]: 'ignore' }, Gate.OnInconclusive, 'ignore', 'warn, fail or pass'],
  [{ [Gate.Sampling]: 'sequential' }, Gate.Sampling, 'sequential', 'adaptive or fixed'],
  [{ [Gate.FailOnRegression]: 'yes' }, Gate.FailOnRegression, 'yes', 'true or false'],
  [{ [Sweep.Strategy]: 'cheapest' }, Sweep.Strategy, 'cheapest'],
  [{ [Gate.GateMemory]: '64' }, Gate.GateMemory, '64', '128 to 10240'],
  [{ [Gate.GateMemory]: '10241' }, Gate.GateMemory, '10241'],
  [{ [Gate.GateMemory]: '512,512' }, Gate.GateMemory, '512,512', 'distinct'],
  [{ [Gate.GateMemory]: '512,abc' }, Gate.GateMemory, '512,abc'],
  [{ [Gate.GateMemory]: 'largest' }, Gate.GateMemory, 'largest', 'current, all'],
  [
    { [Sweep.Invocations]: '50', [Gate.GateInvocations]: '20' },
    Gate.GateInvocations,
    '20',
    'from 50 (the invocations input)'
  ],
  [{ [Gate.GateInvocations]: '0' }, Gate.GateInvocations, '0'],
  [{ [Gate.GateInvocations]: '10001' }, Gate.GateInvocations, '10001'],
  [{ [Gate.BaselineQualifier]: '$LATEST' }, Gate.BaselineQualifier, '$LATEST', 'not $LATEST'],
  [{ [Gate.BaselineQualifier]: 'live:1' }, Gate.BaselineQualifier, 'live:1'],
  [{ [Gate.BaselineQualifier]: 'a'.repeat(129) }, Gate.BaselineQualifier, 'a'.repeat(129)],
  [{ [Gate.BaselineQualifier]: 'my alias' }, Gate.BaselineQualifier, 'my alias'],
  [{ [Gate.MonthlyInvocations]: 'lots' }, Gate.MonthlyInvocations, 'lots', 'auto (read from'],
  [{ [Gate.MonthlyInvocations]: '1,00,000' }, Gate.MonthlyInvocations, '1,00,000'],
  [{ [Gate.MonthlyInvocations]: '1.5' }, Gate.MonthlyInvocations, '1.5'],
  [{ [Gate.MonthlyInvocations]: '0' }, Gate.MonthlyInvocations, '0'],
  [{ [Gate.MonthlyInvocations]: '-5' }, Gate.MonthlyInvocations, '-5'],
  [{ [Gate.MonthlyInvocations]: '1e-3' }, Gate.MonthlyInvocations, '1e-3'],
  [{ [Gate.OverrideLabel]: 'x'.repeat(51) }, Gate.OverrideLabel, 'x'.repeat(51)],
  [{ [Gate.BaselineArtifact]: 'baselines/orders' }, Gate.BaselineArtifact, 'baselines/orders'],
  [{ [Inputs.FunctionName]: 'orders:live' }, Inputs.FunctionName, 'orders:live'],
  [file('missing.yml'), Gate.ConfigFile, 'missing.yml', 'a readable YAML file'],
  [file('not-yaml.yml'), Gate.ConfigFile, 'not-yaml.yml', 'valid YAML'],
  [file('duplicate-key.yml'), Gate.ConfigFile, 'duplicate-key.yml', 'unique'],
  [file('list.yml'), Gate.ConfigFile, 'list.yml', 'a YAML mapping'],
  [file('scalar.yml'), Gate.ConfigFile, 'scalar.yml', 'a YAML mapping'],
  [file('empty.yml'), Gate.ConfigFile, 'empty.yml', 'a YAML mapping'],
  [
    file('unknown-key.yml'),
    'config-file functions[1]',
    'max-p99-increse',
    'a functions entry in unknown-key.yml: function-name, code,'
  ],
  [file('unknown-top.yml'), Gate.ConfigFile, 'function', 'functions, defaults'],
  [file('defaults-name.yml'), 'config-file defaults', 'function-name'],
  [file('duplicate.yml'), 'config-file functions[1].function-name', 'orders', 'functions[0] names the same function'],
  [{ ...file('duplicate-arn.yml'), [Inputs.AwsRegion]: 'eu-west-1' }, 'config-file functions[1].function-name', ARN],
  [file('no-functions.yml'), 'config-file functions', '[]', '1 to 100'],
  [file('too-many.yml'), 'config-file functions', `${TOO_MANY.slice(0, 77)}...`, '1 to 100'],
  [file('no-name.yml'), 'config-file functions[0].function-name', '', 'every entry needs one'],
  [file('entry-not-mapping.yml'), 'config-file functions[0]', 'orders'],
  [file('bad-value.yml'), 'config-file functions[1].max-p99-increase', '15', 'a percentage such as 5%'],
  [file('bad-default.yml'), 'config-file defaults.invocations', '0'],
  [file('null-value.yml'), 'config-file functions[0].code', 'null'],
  [file('qualified.yml'), 'config-file functions[1].function-name', 'b:live'],
  [{ [Gate.ConfigFile]: 'duplicate.yml' }, Inputs.FunctionName, 'orders', 'use one or the other'],
  [{ [Inputs.FunctionName]: '' }, Inputs.FunctionName, '', 'one of them is required']
];

describe('parseGateSettings', () => {
  it('has at least 40 rows of bad inputs', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40);
  });

  // A rest parameter: with four named ones, jest would pass its done callback to three-element rows.
  it.each(BAD_INPUTS)('refuses %j, naming %s and %j', (...row) => {
    const [set, input, value, allowed] = row;
    const error = failure({ [Inputs.FunctionName]: 'orders', ...set });

    expect({ input: error.input, value: error.value }).toEqual({ input, value });
    expect(error.message).toContain(`"${input}"`);
    expect(error.message).toContain(JSON.stringify(error.value));
    if (allowed) expect(error.allowed).toContain(allowed);
  });

  it('fills every default when only function-name is set', () => {
    const settings = parse({ [Inputs.FunctionName]: 'orders' });

    expect(settings).toEqual({
      aws: { maxAttempts: 3 },
      mode: 'auto',
      comment: 'always',
      failOnRegression: true,
      onInconclusive: 'warn',
      overrideLabel: 'cost-regression-accepted',
      functions: [
        {
          functionName: 'orders',
          sweep: expect.objectContaining({ options: expect.objectContaining({ runId: 'run-1' }) }),
          budgets: { maxCostIncrease: 0.05, maxP99Increase: 0.1, maxErrorRate: 0.01 },
          gateMemory: { kind: 'current' },
          gateInvocations: 300,
          sampling: 'adaptive',
          baselineArtifact: 'lambda-cost-gate-baseline'
        }
      ]
    });
    expect(settings.functions[0]?.sweep.options.memorySizes).toEqual(DEFAULT_MEMORY_SIZES);
  });

  it('reads every gate input in its accepted spellings', () => {
    const settings = parse({
      [Inputs.FunctionName]: ARN,
      [Inputs.EndpointUrl]: 'http://127.0.0.1:9001',
      [Inputs.MaxAttempts]: '5',
      [Gate.Mode]: 'compare',
      [Gate.Comment]: 'on-change',
      [Gate.FailOnRegression]: 'false',
      [Gate.OnInconclusive]: 'fail',
      [Gate.OverrideLabel]: 'perf-ok',
      [Gate.GithubToken]: 'ghs_token',
      [Gate.ReportDir]: 'reports',
      [Gate.MaxCostIncrease]: '2.5 %',
      [Gate.MaxP99Increase]: 'none',
      [Gate.MaxCostPerMillion]: '$12.5',
      [Gate.MaxP99Ms]: '250ms',
      [Gate.MaxErrorRate]: '0.002',
      [Gate.MaxMonthlyIncrease]: '0',
      [Gate.MonthlyInvocations]: '1,000,000',
      [Gate.GateMemory]: '1769, 512',
      [Gate.GateInvocations]: '500',
      [Gate.Sampling]: 'fixed',
      [Gate.BaselineArtifact]: 'billing-baseline',
      [Gate.BaselineFile]: 'baseline.json',
      [Gate.BaselineQualifier]: 'live',
      [Sweep.MemorySizes]: '512,1024'
    });

    expect(settings).toMatchObject({
      aws: { endpointUrl: 'http://127.0.0.1:9001', maxAttempts: 5 },
      mode: 'compare',
      comment: 'on-change',
      failOnRegression: false,
      onInconclusive: 'fail',
      overrideLabel: 'perf-ok',
      githubToken: 'ghs_token',
      reportDir: 'reports'
    });
    const [billing] = settings.functions;
    expect(billing).toMatchObject({
      functionName: ARN,
      region: 'eu-west-1',
      gateMemory: { kind: 'sizes', sizes: [512, 1769] },
      gateInvocations: 500,
      sampling: 'fixed',
      baselineArtifact: 'billing-baseline',
      baselineFile: 'baseline.json',
      baselineQualifier: 'live',
      monthlyInvocations: { kind: 'fixed', perMonth: 1_000_000 }
    });
    expect(billing?.budgets).toEqual({
      maxCostIncrease: 0.025,
      maxCostPerMillionUsd: 12.5,
      maxP99Ms: 250,
      maxErrorRate: 0.002,
      maxMonthlyIncreaseUsd: 0
    });
    expect(billing?.sweep.options).toMatchObject({ region: 'eu-west-1', memorySizes: [512, 1024] });
  });

  it.each([
    ['0.5%', 0.005],
    ['5 %', 0.05],
    ['150%', 1.5]
  ])('reads max-p99-increase %s as the fraction %d', (raw, fraction) => {
    const settings = parse({ [Inputs.FunctionName]: 'orders', [Gate.MaxP99Increase]: raw });
    expect(settings.functions[0]?.budgets.maxP99Increase).toBeCloseTo(fraction, 10);
  });

  it.each([
    ['1e6', { kind: 'fixed', perMonth: 1_000_000 }],
    ['2.5E6', { kind: 'fixed', perMonth: 2_500_000 }],
    ['1000000', { kind: 'fixed', perMonth: 1_000_000 }],
    ['auto', { kind: 'auto' }]
  ])('reads monthly-invocations %s', (raw, expected) => {
    const settings = parse({ [Inputs.FunctionName]: 'orders', [Gate.MonthlyInvocations]: raw });
    expect(settings.functions[0]?.monthlyInvocations).toEqual(expected);
  });

  it('accepts an error rate written as a percentage, and gates every size with all', () => {
    const [fn] = parse({
      [Inputs.FunctionName]: 'orders',
      [Gate.MaxErrorRate]: '2.5%',
      [Gate.GateMemory]: 'all'
    }).functions;
    expect(fn?.budgets.maxErrorRate).toBeCloseTo(0.025, 10);
    expect(fn?.gateMemory).toEqual({ kind: 'all' });
  });

  it('raises the default gate-invocations to invocations when they are more than 300', () => {
    const [fn] = parse({ [Inputs.FunctionName]: 'orders', [Sweep.Invocations]: '800' }).functions;
    expect(fn?.gateInvocations).toBe(800);
  });
});
