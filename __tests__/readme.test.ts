/**
 * The README is the user's manual: it must list every input and output action.yml declares (with the same
 * default), state exactly the two set-up commands, and keep the example workflow's permissions complete.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
};

/** The README table rows, by their first cell. */
function tableRows(): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of readme.split('\n')) {
    const cells = /^\|(.*)\|$/
      .exec(line.trim())?.[1]
      ?.split(/(?<!\\)\|/)
      .map((cell) => cell.trim());
    const name = cells?.[0] ? /^`([a-z0-9-]+)`$/.exec(cells[0])?.[1] : undefined;
    if (name && cells) rows.set(name, cells);
  }
  return rows;
}

describe('README', () => {
  it('documents every input with its default, and every output', () => {
    const rows = tableRows();
    for (const [name, input] of Object.entries(action.inputs)) {
      const row = rows.get(name);
      expect({ name, documented: row !== undefined }).toEqual({ name, documented: true });
      const shown = input.default === '' || input.default === undefined ? '(empty)' : `\`${input.default}\``;
      expect({ name, default: row?.[1] }).toEqual({ name, default: shown });
    }
    for (const name of Object.keys(action.outputs))
      expect({ name, documented: rows.has(name) }).toEqual({ name, documented: true });
  });

  it('states the two set-up commands: the demo and the tests', () => {
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toMatch(/^npm test\s/m);
  });

  it('gives the example workflow every token permission the action needs, and warns against pull_request_target', () => {
    for (const permission of ['contents: read', 'actions: read', 'pull-requests: write', 'id-token: write']) {
      expect(readme).toContain(permission);
    }
    expect(readme).toMatch(/Never use `pull_request_target`/);
    expect(readme).toContain('types: [opened, synchronize, reopened, labeled, unlabeled]');
  });
});
