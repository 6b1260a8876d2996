/**
 * What a gate run leaves besides its comment: the baseline artifacts (baseline mode) and, with several
 * functions, one result file naming each function's report. Both go through the dependencies' ports.
 */
import { join } from 'node:path';
import { worstVerdict } from '../compare/index.js';
import type { GateSettings } from '../inputs/gate-settings.js';
import type { GateDependencies } from './run-gate.js';
import type { FunctionOutcome } from './types.js';

/** The reports a gate run writes next to the per-function run reports. */
export const GATE_RESULT_FILE = 'lambda-cost-gate-result.json';

/** Uploads the reports, one artifact per baseline-artifact name; says plainly when it could not. */
export async function uploadBaselines(
  settings: GateSettings,
  functions: FunctionOutcome[],
  deps: GateDependencies
): Promise<string[]> {
  const byArtifact = new Map<string, string[]>();
  for (const [index, fn] of functions.entries()) {
    const name = settings.functions[index]!.baselineArtifact;
    if (fn.reportPath) byArtifact.set(name, [...(byArtifact.get(name) ?? []), fn.reportPath]);
  }
  const notices: string[] = [];
  for (const [name, files] of byArtifact) {
    const result = await deps.uploader.upload(name, files, deps.reportDir);
    notices.push(
      result.uploaded
        ? `Baseline recorded: artifact "${name}" (${files.length} report${files.length === 1 ? '' : 's'}, ${result.size} bytes).`
        : `Baseline NOT uploaded: ${result.reason}. The report is at ${files.join(', ')}.`
    );
  }
  return notices;
}

/** One function: its run report. Several: a combined result naming each function's report. */
export function writeGateResult(functions: FunctionOutcome[], deps: GateDependencies): string | undefined {
  if (functions.length === 1) return functions[0]!.reportPath;
  if (functions.length === 0) return undefined;
  const path = join(deps.reportDir, GATE_RESULT_FILE);
  const result = {
    verdict: worstVerdict(functions.map((f) => f.comparison.verdict)),
    functions: functions.map((f) => ({
      functionName: f.functionName,
      verdict: f.comparison.verdict,
      reportPath: f.reportPath,
      baseline: f.baseline,
      comparison: f.comparison
    }))
  };
  deps.writeFile(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}
