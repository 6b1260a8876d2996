/**
 * Where a function's baseline comes from, in order: `baseline-file` (a run report the team keeps or fetches),
 * `baseline-qualifier` (the deployed alias, measured side by side in this run: see the engine), or the
 * artifact a trusted run of the default branch uploaded for the pull request's merge base or its nearest
 * ancestor (src/baseline/find-baseline.ts). Everything here runs before the sweep, so a corrupt or foreign
 * baseline stops the run before AWS is touched.
 */
import { readReportFromZip } from '../baseline/artifact-files.js';
import { findBaseline } from '../baseline/find-baseline.js';
import { InputError, LambdaCostGateError } from '../errors.js';
import type { GitHubPort } from '../github/port.js';
import type { FunctionSettings } from '../inputs/gate-settings.js';
import { GateInputs } from '../inputs/names.js';
import { parseRunReportText } from '../report/run-report.js';
import type { RunReport } from '../report/run-report-schema.js';
import type { FunctionState } from '../sweep/types.js';
import type { GateContext } from './context.js';
import type { BaselineSource } from './types.js';

/** A stored baseline that cannot be used for this function. */
export class BaselineMismatchError extends LambdaCostGateError {}

export interface StoredBaseline {
  report?: RunReport;
  source: BaselineSource;
}

/** How far back from the merge base the search goes. */
export const MAX_ANCESTORS = 100;

/**
 * The stored baseline for one function; a live one (`baseline-qualifier`) is measured by the sweep instead.
 *
 * @example
 * ```ts
 * const { report, source } = await storedBaseline(fn, state, context, { github, readFile });
 * source.kind // 'artifact' | 'file' | 'live' | 'none'
 * ```
 */
export async function storedBaseline(
  fn: FunctionSettings,
  state: FunctionState,
  context: GateContext,
  deps: { github?: GitHubPort; readFile: (path: string) => string }
): Promise<StoredBaseline> {
  if (fn.baselineFile) {
    const path = fn.baselineFile;
    let text: string;
    try {
      text = deps.readFile(path);
    } catch (error) {
      throw new InputError(GateInputs.BaselineFile, path, 'a readable JSON run report file', { cause: error });
    }
    const report = parseRunReportText(text, `baseline-file ${path}`);
    checkSameFunction(report, state, `baseline-file ${path}`);
    return { report, source: { kind: 'file', path, ...describedBy(report) } };
  }
  if (fn.baselineQualifier) return { source: { kind: 'live', qualifier: fn.baselineQualifier } };
  const pr = context.pullRequest;
  if (!pr) {
    return {
      source: {
        kind: 'none',
        note: 'This is not a pull request and no baseline-file or baseline-qualifier is set, so there is nothing to compare with.'
      }
    };
  }
  if (!deps.github) {
    return {
      source: { kind: 'none', note: 'No GitHub token or repository is available, so no baseline artifact can be read.' }
    };
  }
  const found = await findBaseline(deps.github, {
    artifactName: fn.baselineArtifact,
    baseRef: pr.baseRef,
    baseSha: pr.baseSha,
    headSha: pr.headSha,
    maxCommits: MAX_ANCESTORS
  });
  if (!found.found) return { source: { kind: 'none', note: found.reason } };
  const zip = await deps.github.downloadArtifact(found.artifact.id);
  const what = `baseline artifact "${found.artifact.name}" of run ${found.run.id}`;
  const report = parseRunReportText(readReportFromZip(zip, state.name), what);
  checkSameFunction(report, state, what);
  return {
    report,
    source: {
      kind: 'artifact',
      ...describedBy(report),
      commit: found.commit,
      runId: found.run.id,
      runUrl: found.run.htmlUrl,
      ...(found.distance > 0
        ? { note: `The merge base has no baseline; this one is from ${found.distance} commits before it.` }
        : {})
    }
  };
}

function describedBy(report: RunReport): Pick<BaselineSource, 'commit' | 'measuredAt'> {
  return { ...(report.git?.commit ? { commit: report.git.commit } : {}), measuredAt: report.finishedAt };
}

/** A baseline of another function (or region) would compare unrelated code: refuse it with both names. */
function checkSameFunction(report: RunReport, state: FunctionState, what: string): void {
  if (report.function.name !== state.name || report.function.region !== state.region) {
    throw new BaselineMismatchError(
      `The ${what} measured function ${report.function.name} in ${report.function.region}, not ${state.name} in ${state.region}: ` +
        'use a baseline recorded for this function.'
    );
  }
}
