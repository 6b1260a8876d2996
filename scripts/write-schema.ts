/**
 * Writes schema/run-report.v1.schema.json from the zod schema in src/report/run-report-schema.ts.
 *
 * Run with `npx tsx scripts/write-schema.ts` (or `npm run schema`) after changing the schema. The text is
 * formatted by prettier with the repository's settings, so `prettier --check` accepts the committed file and
 * `__tests__/core/sweep/run-report.test.ts` can fail when the file is stale.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { runReportJsonSchema } from '../src/report/run-report-schema.js';

/** Where the schema lives, relative to the repository root. */
export const SCHEMA_FILE = 'schema/run-report.v1.schema.json';

/** The repository root: this script's parent directory. */
export const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The file's expected contents: the JSON Schema, formatted as prettier would. */
export async function schemaFileText(root = REPOSITORY_ROOT): Promise<string> {
  const file = join(root, SCHEMA_FILE);
  const config = (await resolveConfig(file)) ?? {};
  return format(JSON.stringify(runReportJsonSchema(), null, 2), { ...config, filepath: file });
}

async function main(): Promise<void> {
  const file = join(REPOSITORY_ROOT, SCHEMA_FILE);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, await schemaFileText());
  console.log(`Wrote ${SCHEMA_FILE}`);
}

// Only when run as a script: the test imports schemaFileText without writing anything.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
