/**
 * `lambda-cost-gate right-size`: fleet right-sizing from a terminal. Its flags are the action's input
 * names (`--function-prefix`, `--lookback-days`, …; `--all-functions` and `--apply` need no value);
 * `--out FILE` writes the JSON report and `--markdown FILE` the markdown, which is also printed.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { InputError } from '../errors.js';
import { parseAwsInputs } from '../inputs/config.js';
import { Inputs, SweepInputs, type InputName } from '../inputs/names.js';
import { parseRightSizeInputs } from '../inputs/right-size-inputs.js';
import { RightSizeInputs, type RightSizeInputName } from '../inputs/right-size-names.js';
import { serializeRightSizeReport } from './report.js';
import { runRightSizeOnAws } from './run-on-aws.js';
import type { RightSizeResult } from './run.js';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const SWITCHES: RightSizeInputName[] = [RightSizeInputs.AllFunctions, RightSizeInputs.Apply];
const FLAG_NAMES: RightSizeInputName[] = [
  ...Object.values(RightSizeInputs).filter((name) => !SWITCHES.includes(name)),
  Inputs.EndpointUrl,
  Inputs.AwsRegion,
  Inputs.MaxAttempts,
  SweepInputs.PricePerGbSecond,
  SweepInputs.PricePerRequest
];

export const RIGHT_SIZE_USAGE = `lambda-cost-gate right-size (--functions a,b | --function-prefix P | --function-tags k=v | --all-functions)
      [--lookback-days 14] [--memory-buffer 100|20%] [--peak-margin 32] [--memory-step 64]
      [--min-invocations 50] [--min-days 7] [--max-concurrent-queries 10] [--sweep-reports a.json,b.json]
      [--apply --apply-allow 'orders-*' [--apply-max-step 1024] [--apply-min-memory 128]]
      [--endpoint-url URL] [--aws-region REGION] [--out right-size.json] [--markdown right-size.md]`;

/**
 * Runs a right-size analysis from flags; prints the markdown report.
 *
 * @example
 * ```ts
 * await rightSizeCommand(['--all-functions', '--out', 'fleet.json'], { out: console.log, err: console.error });
 * ```
 * @throws {@link InputError} for a bad flag value, as the action would for the input
 */
export async function rightSizeCommand(args: string[], io: CliIo, signal?: AbortSignal): Promise<RightSizeResult> {
  const { values } = parseArgs({
    args,
    options: {
      ...Object.fromEntries(FLAG_NAMES.map((name) => [name, { type: 'string' as const }])),
      ...Object.fromEntries(SWITCHES.map((name) => [name, { type: 'boolean' as const }])),
      out: { type: 'string' },
      markdown: { type: 'string' }
    },
    strict: true
  });
  const flags = values as Record<string, string | boolean | undefined>;
  const read = (name: RightSizeInputName): string => {
    const value = flags[name];
    return value === true ? 'true' : typeof value === 'string' ? value : '';
  };
  const settings = parseRightSizeInputs(read);
  const aws = parseAwsInputs((name: InputName) => read(name));
  for (const flag of ['out', 'markdown'] as const) {
    if (flags[flag] === '') throw new InputError(`--${flag}`, '', 'a file path');
  }
  const result = await runRightSizeOnAws(settings, aws, { log: io.err, ...(signal ? { signal } : {}) });
  io.out(result.markdown);
  if (typeof flags.out === 'string') {
    writeFileSync(flags.out, serializeRightSizeReport(result.report));
    io.err(`JSON report written to ${flags.out}`);
  }
  if (typeof flags.markdown === 'string') {
    writeFileSync(flags.markdown, result.markdown);
    io.err(`Markdown report written to ${flags.markdown}`);
  }
  return result;
}
