/**
 * What a deployment did so far: everything cleanup needs to undo it, shared by the deployer and cleanup.
 */
import { LambdaCostGateError } from '../errors.js';
import type { GridCell } from '../grid/types.js';
import type { Architecture, FunctionState, LambdaPort, SweepOptions } from '../sweep/types.js';
import { writtenByRun } from './cells.js';
import type { RestorePlan } from './restore.js';

/** What a deployment needs from the sweep request. */
export type DeploymentSettings = Pick<SweepOptions, 'code' | 'memorySizes' | 'mode' | 'runId'> & {
  /**
   * A grid sweep (issue 8): one version per cell (memory × knob value × architecture), in place of one per
   * memory size; `memorySizes` is then not used. Absent: one version per memory size, as before.
   */
  cells?: GridCell[];
  /** The environment variable the cells' `knobValue` sets (e.g. THREADS); needed when a cell has one. */
  knobName?: string;
};

/** One frozen version to measure. `created` is false when PublishVersion returned one that existed. */
export interface PreparedVersion {
  memoryMb: number;
  version: string;
  created: boolean;
  /** The cell's knob value, for a grid cell that has one. */
  knobValue?: string;
  /** The cell's architecture, for a grid cell. */
  architecture?: Architecture;
}

/** A memory size Lambda refused (e.g. above the account's memory quota): skipped, not measured. */
export interface RefusedSize {
  memoryMb: number;
  /** Lambda's own words. */
  reason: string;
}

/** What the run did so far: everything cleanup needs to undo it. */
export interface DeploymentRecord {
  readonly port: LambdaPort;
  readonly name: string;
  readonly settings: DeploymentSettings;
  readonly log: (line: string) => void;
  original?: FunctionState;
  /** Versions that existed before the run; undefined until they were listed. */
  known?: Set<string>;
  versions: PreparedVersion[];
  /** Sizes Lambda refused to set; the others were still published. */
  refused: RefusedSize[];
  safety?: PreparedVersion;
  /**
   * A PublishVersion whose answer never came (an error, a timeout): Lambda may have published a version the
   * run does not know, so cleanup must look for it by its description. Otherwise every version is recorded.
   */
  unconfirmedPublish: boolean;
  /** True from the first write to the real `$LATEST` until it was put back. */
  touched: boolean;
  restored: boolean;
  /**
   * Values written to `$LATEST`, so that a restore puts back only what this run changed. Of the environment
   * only the knob's values are kept: the rest is the original's, which may hold secrets.
   */
  written: {
    memorySizes: Set<number>;
    descriptions: Set<string>;
    codeSha256s: Set<string>;
    codeUnknown: boolean;
    architectures: Set<Architecture>;
    knobValues: Set<string>;
  };
  copy?: { name: string; owned: boolean };
  tempDir?: string;
  originalZip?: string;
  /** Versions and functions already removed, so that cleanup can run again. */
  removed: Set<string>;
}

/** A record of a deployment that has not started. */
export function newRecord(
  port: LambdaPort,
  name: string,
  settings: DeploymentSettings,
  log: (line: string) => void
): DeploymentRecord {
  return {
    port,
    name,
    settings,
    log,
    versions: [],
    refused: [],
    unconfirmedPublish: false,
    touched: false,
    restored: false,
    written: {
      memorySizes: new Set(),
      descriptions: new Set(),
      codeSha256s: new Set(),
      codeUnknown: false,
      architectures: new Set(),
      knobValues: new Set()
    },
    removed: new Set()
  };
}

/**
 * How to put the real `$LATEST` back: to the original, and only the values this run wrote.
 *
 * The original environment comes from this run's own read of `$LATEST` (`r.original`), held in memory only.
 * It may hold secrets, so it is never saved: the state the action keeps for its post step
 * (`recordForCleanup` in post.ts, via `onOriginal`) has the function's name, region, description, memory
 * and code SHA-256, not its environment. A run killed before it could restore has its environment put back
 * from its safety version instead, which Lambda holds (see leftovers.ts).
 */
export function restorePlan(r: DeploymentRecord): RestorePlan {
  const original = r.original;
  if (!original) throw new LambdaCostGateError('There is nothing to restore: the function was never read');
  const { knobName } = r.settings;
  return {
    original,
    ours: {
      memorySize: (mb: number) => r.written.memorySizes.has(mb),
      description: (text: string) => r.written.descriptions.has(text),
      codeSha256: (sha: string) => r.written.codeUnknown || r.written.codeSha256s.has(sha),
      architecture: (architecture: Architecture) => r.written.architectures.has(architecture),
      environment: (environment: Record<string, string>) =>
        writtenByRun(original.environment, environment, knobName, r.written.knobValues)
    },
    originalZip: async () => {
      if (!r.originalZip) throw new LambdaCostGateError('The original code was not kept, so it cannot be put back');
      return r.originalZip;
    }
  };
}
