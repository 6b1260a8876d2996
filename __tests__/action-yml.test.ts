/**
 * action.yml must stay true to the code: every input main.ts reads is declared (and nothing else),
 * every output it sets is documented, and the defaults match. Parsed line by line: the file's layout
 * is fixed (two-space indents) and a YAML library is not a dependency of this project.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { DEFAULT_MAX_ATTEMPTS } from '../src/aws/clients.js';
import { Inputs, Outputs } from '../src/inputs/names.js';

const text = readFileSync(new URL('../action.yml', import.meta.url), 'utf8');

/** The entries of a top-level section, each with its `key: value` fields (4-space indent). */
function section(name: string): Map<string, Map<string, string>> {
  const entries = new Map<string, Map<string, string>>();
  let inSection = false;
  let current: Map<string, string> | undefined;
  for (const line of text.split('\n')) {
    if (/^\S/.test(line)) {
      inSection = line === `${name}:`;
      continue;
    }
    if (!inSection) continue;
    const entry = /^ {2}([\w-]+):\s*$/.exec(line);
    const field = /^ {4}([\w-]+):\s*(.*)$/.exec(line);
    if (entry?.[1]) entries.set(entry[1], (current = new Map()));
    else if (field?.[1] && current) current.set(field[1], field[2] ?? '');
  }
  return entries;
}

describe('action.yml', () => {
  const inputs = section('inputs');
  const outputs = section('outputs');

  it('declares exactly the inputs the action reads, each described', () => {
    expect([...inputs.keys()].sort()).toEqual(Object.values(Inputs).sort());
    for (const fields of inputs.values()) expect(fields.get('description')).toBeTruthy();
  });

  it('requires function-name and gives every other input a default', () => {
    expect(inputs.get(Inputs.FunctionName)?.get('required')).toBe('true');
    expect(inputs.get(Inputs.EndpointUrl)?.get('default')).toBe("''");
    expect(inputs.get(Inputs.AwsRegion)?.get('default')).toBe("''");
    expect(inputs.get(Inputs.MaxAttempts)?.get('default')).toBe(`'${DEFAULT_MAX_ATTEMPTS}'`);
  });

  it('documents exactly the outputs the action sets', () => {
    expect([...outputs.keys()].sort()).toEqual(Object.values(Outputs).sort());
    for (const fields of outputs.values()) expect(fields.get('description')).toBeTruthy();
  });

  it('runs the bundled entry on node24', () => {
    expect(text).toMatch(/^runs:\n {2}using: node24\n {2}main: dist\/index\.js$/m);
  });
});
