/**
 * action.yml must stay true to the code: every input the action reads is declared (and nothing else),
 * every output is documented, and a declared default means what an empty input means to the parser.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { DEFAULT_MAX_ATTEMPTS } from '../src/aws/clients.js';
import { parseGateSettings } from '../src/inputs/gate-settings.js';
import { ActionOutputs, GateInputs, Inputs, SweepInputs, type InputName } from '../src/inputs/names.js';
import { parseRightSizeInputs } from '../src/inputs/right-size-inputs.js';
import { RightSizeInputs, RightSizeOutputs, type RightSizeInputName } from '../src/inputs/right-size-names.js';

interface ActionYml {
  name: string;
  description: string;
  inputs: Record<string, { description?: string; required?: boolean; default?: unknown }>;
  outputs: Record<string, { description?: string }>;
  runs: Record<string, string>;
  branding?: { icon?: string; color?: string };
}

const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as ActionYml;
const allInputs: string[] = [
  ...Object.values(Inputs),
  ...Object.values(SweepInputs),
  ...Object.values(GateInputs),
  ...Object.values(RightSizeInputs)
];

describe('action.yml', () => {
  it('declares exactly the inputs the action reads, each described and with a default', () => {
    expect(Object.keys(action.inputs).sort()).toEqual([...allInputs].sort());
    for (const [name, input] of Object.entries(action.inputs)) {
      expect({ name, description: input.description?.trim() || undefined }).toEqual({
        name,
        description: expect.any(String)
      });
      expect({ name, default: typeof input.default }).toEqual({ name, default: 'string' });
    }
  });

  it('lets config-file stand in for function-name, and passes the workflow token by default', () => {
    expect(action.inputs[Inputs.FunctionName]).toMatchObject({ required: false, default: '' });
    expect(action.inputs[GateInputs.GithubToken]?.default).toBe('${{ github.token }}');
    expect(action.inputs[Inputs.MaxAttempts]?.default).toBe(String(DEFAULT_MAX_ATTEMPTS));
    expect(action.inputs[GateInputs.MaxCostIncrease]?.default).toBe('5%');
    expect(action.inputs[GateInputs.MaxP99Increase]?.default).toBe('10%');
    expect(action.inputs[GateInputs.MaxErrorRate]?.default).toBe('1%');
  });

  it.each<Partial<Record<InputName, string>>>([
    {},
    { [SweepInputs.Invocations]: '500', [SweepInputs.PayloadFile]: 'event.json' },
    { [GateInputs.MaxErrorRate]: '0.02', [GateInputs.GateMemory]: '512' }
  ])('declares defaults that parse exactly like empty inputs (with %j set)', (set) => {
    // A default that disagrees with the parser (gate-invocations 300 while invocations is 500, or a
    // payload default that clashes with payload-file) would change what a user's workflow means.
    const base = { [Inputs.FunctionName]: 'orders', [GateInputs.GithubToken]: '', ...set };
    const declared = (name: InputName) => base[name] ?? String(action.inputs[name]?.default);
    const empty = (name: InputName) => base[name] ?? '';
    const context = { readFile: () => '{}', newRunId: () => 'run-1' };

    expect(parseGateSettings(declared, context)).toEqual(parseGateSettings(empty, context));
  });

  it('documents exactly the outputs, each with its unit or values', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(
      [...Object.values(ActionOutputs), ...Object.values(RightSizeOutputs)].sort()
    );
    for (const [name, output] of Object.entries(action.outputs)) {
      expect({ name, description: output.description?.trim() || undefined }).toEqual({
        name,
        description: expect.any(String)
      });
    }
    expect(action.outputs[ActionOutputs.CostPerMillion]?.description).toMatch(/USD/);
    expect(action.outputs[ActionOutputs.P99Ms]?.description).toMatch(/milliseconds/);
    expect(action.outputs[ActionOutputs.CostChangePercent]?.description).toMatch(/-4\.2/);
  });

  it('declares right-size defaults that parse exactly like empty inputs', () => {
    const declared = (name: RightSizeInputName) => String(action.inputs[name]?.default ?? '');
    const withDefaults = parseRightSizeInputs((name) =>
      name === RightSizeInputs.AllFunctions ? 'true' : declared(name)
    );
    const empty = parseRightSizeInputs((name) => (name === RightSizeInputs.AllFunctions ? 'true' : ''));
    expect(withDefaults).toEqual(empty);
  });

  it('runs the bundled entry on node24, with a post step that always runs to clean up', () => {
    expect(action.runs).toEqual({
      using: 'node24',
      main: 'dist/index.js',
      post: 'dist/index.js',
      'post-if': 'always()'
    });
  });

  it('has a name, a description and branding', () => {
    expect(action.name).toBe('Lambda Cost Gate');
    expect(action.description).toMatch(/pull request/);
    expect(action.branding).toEqual({ icon: 'dollar-sign', color: 'orange' });
  });
});
