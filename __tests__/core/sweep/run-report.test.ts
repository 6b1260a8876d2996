import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { LambdaCostGateError } from '../../../src/errors.js';
import {
  parseRunReport,
  parseRunReportText,
  RunReportError,
  serializeRunReport
} from '../../../src/report/run-report.js';
import { RUN_REPORT_SCHEMA_ID, runReportJsonSchema } from '../../../src/report/run-report-schema.js';
import { VERSION } from '../../../src/version.js';
import { REPOSITORY_ROOT, SCHEMA_FILE, schemaFileText } from '../../../scripts/write-schema.js';
import { exampleReport } from './fixtures.js';

const report = exampleReport;

describe('parseRunReport', () => {
  it('reads back what was written', () => {
    // Prepare
    const written = report();

    // Act
    const read = parseRunReportText(serializeRunReport(written), 'run-report.json');

    // Assess
    expect(read).toEqual(written);
    expect(serializeRunReport(written).endsWith('}\n')).toBe(true);
  });

  it('ignores properties it does not know', () => {
    const json = { ...report(), addedLater: true } as unknown;
    expect(parseRunReport(json)).not.toHaveProperty('addedLater');
  });

  it.each([null, [], 'report', 3])('refuses %j: not an object', (json) => {
    expect(() => parseRunReport(json, 'baseline')).toThrow(new RunReportError('The baseline is not a JSON object'));
  });

  it('refuses a file without schemaVersion', () => {
    const { schemaVersion: _dropped, ...rest } = report();
    expect(() => parseRunReport(rest)).toThrow(
      'The run report has no schemaVersion, so it is not a lambda-cost-gate run report'
    );
  });

  it('refuses a newer schemaVersion, saying which it has and which are supported', () => {
    expect(() => parseRunReport({ ...report(), schemaVersion: 2 }, 'baseline from main')).toThrow(
      `The baseline from main has schemaVersion 2; lambda-cost-gate ${VERSION} reads schemaVersion 1. ` +
        'It was written by a newer lambda-cost-gate: upgrade this one to read it.'
    );
  });

  it.each([0, '1'])('refuses schemaVersion %j as older or foreign', (schemaVersion) => {
    expect(() => parseRunReport({ ...report(), schemaVersion })).toThrow(
      `The run report has schemaVersion ${JSON.stringify(schemaVersion)}; lambda-cost-gate ${VERSION} reads ` +
        'schemaVersion 1. Run the sweep again with this version to make a baseline it can read.'
    );
  });

  it('names the path of each problem', () => {
    // Prepare
    const broken = JSON.parse(serializeRunReport(report()));
    broken.sizes[0].duration.p50.value = 'fast';
    broken.startedAt = 'yesterday';

    // Act
    let error: RunReportError | undefined;
    try {
      parseRunReport(broken);
    } catch (caught) {
      error = caught as RunReportError;
    }

    // Assess
    expect(error).toBeInstanceOf(RunReportError);
    expect(error).toBeInstanceOf(LambdaCostGateError);
    expect(error?.message).toMatch(/^The run report is not a valid schemaVersion 1 run report: /);
    expect(error?.issues).toEqual([
      'startedAt: Invalid ISO datetime',
      'sizes[0].duration.p50.value: Invalid input: expected number, received string'
    ]);
    expect(error?.message).toContain('sizes[0].duration.p50.value: Invalid input: expected number, received string');
  });

  it('lists the first five problems and counts the rest', () => {
    const broken = { ...report(), runId: 1, tool: null, samples: 'none', warnings: [1], sizes: {}, sweepCost: [] };
    expect(() => parseRunReport(broken)).toThrow(/; and 1 more$/);
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseRunReportText('{"schemaVersion": 1,', 'baseline.json')).toThrow(
      /^The baseline\.json is not JSON: /
    );
    expect(() => parseRunReportText('')).toThrow(/^The run report is not JSON: /);
  });
});

describe('the JSON Schema', () => {
  it('is committed as scripts/write-schema.ts writes it (run `npm run schema` after changing the schema)', async () => {
    const committed = readFileSync(join(REPOSITORY_ROOT, SCHEMA_FILE), 'utf8');
    expect(committed).toBe(await schemaFileText());
  });

  it('has an $id, a title and a description', () => {
    const schema = runReportJsonSchema();
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: RUN_REPORT_SCHEMA_ID,
      title: 'lambda-cost-gate run report, schemaVersion 1',
      description: 'What a lambda-cost-gate sweep measured and recommends'
    });
  });

  it('documents every property', () => {
    const schema = runReportJsonSchema() as JsonSchema;
    const undocumented: string[] = [];
    const walk = (node: JsonSchema, path: string): void => {
      for (const [key, property] of Object.entries(node.properties ?? {})) {
        const documented =
          property.description !== undefined ||
          (property.$ref !== undefined &&
            schema.$defs?.[property.$ref.replace('#/$defs/', '')]?.description !== undefined);
        if (!documented) undocumented.push(`${path}.${key}`);
        walk(property, `${path}.${key}`);
      }
      for (const child of [node.items, ...(node.anyOf ?? []), ...(node.oneOf ?? [])]) {
        if (child !== undefined) walk(child, `${path}[]`);
      }
    };
    walk(schema, '(root)');
    for (const [name, definition] of Object.entries(schema.$defs ?? {})) walk(definition, `$defs.${name}`);
    expect(undocumented).toEqual([]);
  });
});

interface JsonSchema {
  description?: string;
  $ref?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $defs?: Record<string, JsonSchema>;
}
