/**
 * `mode: right-size` in the action: the same fleet analysis as `lambda-cost-gate right-size`, with the
 * markdown report as the job summary, the JSON report in the report folder, and the fleet's totals as
 * outputs. main.ts sends the run here before the gate's inputs are read (right-size needs no function-name).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAwsInputs } from '../inputs/config.js';
import type { InputName } from '../inputs/names.js';
import { Outputs } from '../inputs/names.js';
import { parseRightSizeInputs } from '../inputs/right-size-inputs.js';
import type { RightSizeInputName } from '../inputs/right-size-names.js';
import { rightSizeOutputs, serializeRightSizeReport } from './report.js';
import { runRightSizeOnAws } from './run-on-aws.js';

/** The file the JSON report is written to, in the report folder. */
export const RIGHT_SIZE_REPORT_FILE = 'lambda-cost-gate-right-size.json';

export interface RightSizeActionIo {
  read: (name: RightSizeInputName) => string;
  setOutput: (name: string, value: string) => void;
  writeSummary: (markdown: string) => Promise<void>;
  log: (line: string) => void;
  debug: (line: string) => void;
  reportDir: string;
  signal?: AbortSignal;
}

/**
 * @example
 * ```ts
 * await runRightSizeAction({ read: (n) => core.getInput(n), setOutput: core.setOutput, … });
 * ```
 */
export async function runRightSizeAction(io: RightSizeActionIo): Promise<void> {
  const settings = parseRightSizeInputs(io.read);
  const aws = parseAwsInputs((name: InputName) => io.read(name));
  const result = await runRightSizeOnAws(settings, aws, {
    log: io.log,
    ...(io.signal ? { signal: io.signal } : {}),
    ...(io.debug ? { debug: io.debug } : {})
  });
  mkdirSync(io.reportDir, { recursive: true });
  const reportPath = join(io.reportDir, RIGHT_SIZE_REPORT_FILE);
  writeFileSync(reportPath, serializeRightSizeReport(result.report));
  await io.writeSummary(result.markdown);
  for (const [name, value] of Object.entries(rightSizeOutputs(result.report))) io.setOutput(name, value);
  io.setOutput(Outputs.ReportPath, reportPath);
}
