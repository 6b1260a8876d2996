/**
 * Grid deployments (issue 8) against the emulator with the real SDK: one version per cell (memory × THREADS ×
 * architecture), each freezing its own environment and architecture; `$LATEST` put back whole (environment
 * and architecture included), by the run itself or by the leftovers path after a killed run; the function's
 * own variables (maybe secrets) never in a log line or progress event; and another architecture without
 * code to upload refused before anything changes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  waitUntilFunctionActiveV2
} from '@aws-sdk/client-lambda';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { ArchitectureNeedsCodeError, Deployment } from '../../src/deploy/deployer.js';
import { findLeftovers, removeLeftovers } from '../../src/deploy/leftovers.js';
import { sha256Base64 } from '../../src/deploy/zip.js';
import { AwsCallError, InputError, errorMessage } from '../../src/errors.js';
import type { GridCell } from '../../src/grid/types.js';
import type { FunctionState, ProgressEvent } from '../../src/sweep/types.js';
import {
  ROLE,
  createFunction,
  interceptingPort,
  latestOf,
  modelCode,
  rejectionOf,
  snapshot,
  startDeployTestBed,
  versionsOf,
  type DeployTestBed
} from './helpers.js';

const SECRET = 'pw-7Hq2-zz-NEVER-PRINT';
const ORIGINAL_ENV = { STAGE: 'prod', DB_PASSWORD: SECRET };

/** Real code that says what its environment holds, without echoing the secret. */
const ENV_REPORTER = Buffer.from(
  zipSync({
    'index.mjs': [
      Buffer.from(
        'export const handler = async () => ({ threads: process.env.THREADS ?? null, stage: process.env.STAGE ?? null,' +
          " secretLength: (process.env.DB_PASSWORD ?? '').length, version: process.env.AWS_LAMBDA_FUNCTION_VERSION });\n"
      ),
      { mtime: new Date('2020-01-01T00:00:00Z') }
    ]
  })
);

/** Every combination, memory outermost, in the order a grid planner would list them. */
function grid(memories: number[], threads: string[], architectures: Array<'x86_64' | 'arm64'>): GridCell[] {
  return memories.flatMap((memoryMb) =>
    threads.flatMap((knobValue) => architectures.map((architecture) => ({ memoryMb, knobValue, architecture })))
  );
}

describe('grid deployment', () => {
  let t: DeployTestBed;
  beforeAll(async () => {
    t = await startDeployTestBed();
  });
  afterAll(async () => t.close());

  /** GetFunction over HTTP: Configuration (RevisionId included) and Code, as a user would compare them. */
  const getFunction = async (name: string) => {
    const { Configuration, Code } = await t.client.send(new GetFunctionCommand({ FunctionName: name }));
    return { Configuration, Code };
  };

  it('publishes one version per memory × THREADS × architecture, and puts $LATEST back whole', async () => {
    // Prepare: a real handler on x86_64 with a secret-looking variable; no candidate code, so the original
    // zip goes up again for arm64.
    await t.client.send(
      new CreateFunctionCommand({
        FunctionName: 'grid',
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: ENV_REPORTER },
        MemorySize: 1024,
        Description: 'batch worker',
        Timeout: 30,
        Environment: { Variables: ORIGINAL_ENV }
      })
    );
    await waitUntilFunctionActiveV2({ client: t.client, minDelay: 1, maxWaitTime: 10 }, { FunctionName: 'grid' });
    const before = latestOf(t.emulator, 'grid');
    const lines: string[] = [];
    const events: ProgressEvent[] = [];
    const cells = grid([256, 512], ['1', '4'], ['x86_64', 'arm64']);
    const port = t.portWith({ log: (line) => lines.push(line) });
    const deployment = new Deployment(
      port,
      'grid',
      { mode: 'in-place', memorySizes: [], runId: 'g1', cells, knobName: 'THREADS' },
      { log: (line) => lines.push(line), progress: (event) => events.push(event) }
    );

    // Act
    const prepared = await deployment.prepare();

    // Assess: 8 new versions, in the order of the cells, each frozen with its own cell
    expect(
      prepared.versions.map(({ memoryMb, knobValue, architecture }) => ({ memoryMb, knobValue, architecture }))
    ).toEqual(cells);
    expect(prepared.versions.every((v) => v.created)).toBe(true);
    expect(new Set(prepared.versions.map((v) => v.version)).size).toBe(8);
    for (const v of prepared.versions) {
      const config = await t.client.send(
        new GetFunctionConfigurationCommand({ FunctionName: 'grid', Qualifier: v.version })
      );
      expect({
        memory: config.MemorySize,
        environment: config.Environment?.Variables,
        architectures: config.Architectures,
        code: config.CodeSha256,
        description: config.Description
      }).toEqual({
        memory: v.memoryMb,
        environment: { ...ORIGINAL_ENV, THREADS: v.knobValue },
        architectures: [v.architecture],
        code: before.codeSha256,
        description: `lambda-cost-gate run g1: ${v.memoryMb} MB ${v.architecture} THREADS=${v.knobValue}`
      });
    }
    // The handler of each version sees that version's variables, the others kept.
    for (const v of prepared.versions.filter((x) => x.memoryMb === 256)) {
      const reply = await t.client.send(new InvokeCommand({ FunctionName: 'grid', Qualifier: v.version }));
      expect(JSON.parse(Buffer.from(reply.Payload ?? []).toString())).toEqual({
        threads: v.knobValue,
        stage: 'prod',
        secretLength: SECRET.length,
        version: v.version
      });
    }
    // $LATEST was put back before prepare returned: memory, description, code, architecture, environment.
    expect(latestOf(t.emulator, 'grid')).toEqual(before);

    await deployment.cleanup();
    expect(versionsOf(t.emulator, 'grid')).toEqual([]);
    expect(latestOf(t.emulator, 'grid')).toEqual(before);
    // Nothing the user reads carries the function's own values.
    const printed = [...lines, ...events.map((event) => JSON.stringify(event))];
    expect(printed.some((line) => line.includes('arm64'))).toBe(true);
    expect(printed.filter((line) => line.includes(SECRET))).toEqual([]);
  });

  it('repairs a killed grid run from its safety version: environment and architecture come back', async () => {
    // Prepare: the run dies at the publish right after the arm64 upload, and nothing cleans up.
    await createFunction(t.client, 'killed-grid', { environment: ORIGINAL_ENV, description: 'orders' });
    const before = latestOf(t.emulator, 'killed-grid');
    let saved: FunctionState | undefined;
    const dying = interceptingPort(t.port, {
      publishVersion: (call) => {
        if (call === 3) throw new Error('killed');
      }
    });
    const cells: GridCell[] = [
      { memoryMb: 512, knobValue: '2', architecture: 'x86_64' },
      { memoryMb: 256, knobValue: '8', architecture: 'arm64' }
    ];
    const run = new Deployment(
      dying,
      'killed-grid',
      { mode: 'in-place', memorySizes: [], runId: 'k9', cells, knobName: 'THREADS' },
      { onOriginal: (original) => (saved = original) }
    );
    await rejectionOf(run.prepare());
    expect(latestOf(t.emulator, 'killed-grid')).toMatchObject({
      architecture: 'arm64',
      environment: { ...ORIGINAL_ENV, THREADS: '8' }
    });
    // What a post step saves: the description, never the environment.
    const description = saved?.description ?? '';
    const lines: string[] = [];

    // Act
    const leftovers = await findLeftovers(t.port, 'killed-grid', { runId: 'k9' });
    const removed = await removeLeftovers(t.port, leftovers, { original: { description }, log: (l) => lines.push(l) });

    // Assess
    expect(removed.restored).toBe(true);
    expect(latestOf(t.emulator, 'killed-grid')).toEqual(before);
    expect(versionsOf(t.emulator, 'killed-grid')).toEqual([]);
    expect(lines.some((line) => line.includes('architecture (x86_64)'))).toBe(true);
    expect(lines.filter((line) => line.includes(SECRET))).toEqual([]);
  });

  it('refuses another architecture when no code can be uploaded, before changing anything', async () => {
    // Prepare: the original zip cannot be fetched (its download link refused), and no candidate is given.
    await createFunction(t.client, 'no-zip', { environment: ORIGINAL_ENV });
    const before = await getFunction('no-zip');
    const port = interceptingPort(t.port, {
      downloadCode: () => {
        throw new AwsCallError('download the code of function no-zip', new Error('HTTP 403 from the code location'));
      }
    });
    const cells = grid([512], ['1', '2'], ['x86_64', 'arm64']);
    const deployment = new Deployment(port, 'no-zip', {
      mode: 'in-place',
      memorySizes: [],
      runId: 'nz',
      cells,
      knobName: 'THREADS'
    });

    // Act
    const error = await rejectionOf(deployment.prepare());
    await deployment.cleanup();

    // Assess: a typed error about the `architectures` input that says what to do; the function untouched
    expect(error).toBeInstanceOf(ArchitectureNeedsCodeError);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('architectures');
    expect(error.message).toContain('only x86_64');
    expect(error.message).toContain('`code` input');
    expect(error.message).toContain('nothing was changed');
    expect(errorMessage(error)).not.toContain(SECRET);
    expect(await getFunction('no-zip')).toEqual(before);
    expect(versionsOf(t.emulator, 'no-zip')).toEqual([]);
  });

  it('deploys a candidate per architecture in place; versions carry its code, $LATEST keeps the original', async () => {
    // Prepare
    await createFunction(t.client, 'grid-candidate', { code: modelCode(100), environment: ORIGINAL_ENV });
    const before = latestOf(t.emulator, 'grid-candidate');
    const zip = join(mkdtempSync(join(tmpdir(), 'lcg-grid-')), 'candidate.zip');
    writeFileSync(zip, modelCode(40));
    const candidateSha = sha256Base64(modelCode(40));
    const cells: GridCell[] = [
      { memoryMb: 512, architecture: 'arm64' },
      { memoryMb: 512, architecture: 'x86_64' }
    ];
    const deployment = new Deployment(t.port, 'grid-candidate', {
      mode: 'in-place',
      memorySizes: [],
      runId: 'gc',
      cells,
      code: { kind: 'zip', path: zip }
    });

    // Act
    const prepared = await deployment.prepare();

    // Assess: without a knob, the environment is the original's in every version
    expect(prepared.versions.map((v) => v.architecture)).toEqual(['arm64', 'x86_64']);
    expect(prepared.versions.every((v) => v.knobValue === undefined)).toBe(true);
    for (const v of prepared.versions) {
      const frozen = await t.port.getFunction('grid-candidate', v.version);
      expect(frozen).toMatchObject({
        architecture: v.architecture,
        environment: ORIGINAL_ENV,
        memorySize: 512,
        codeSha256: candidateSha
      });
    }
    expect(latestOf(t.emulator, 'grid-candidate')).toEqual(before);
    await deployment.cleanup();
    expect(versionsOf(t.emulator, 'grid-candidate')).toEqual([]);
  });

  it('publishes the cells on a temporary copy and never writes to the real function', async () => {
    // Prepare
    await createFunction(t.client, 'grid-source', { environment: ORIGINAL_ENV });
    const before = await getFunction('grid-source');
    const cells: GridCell[] = [
      { memoryMb: 256, knobValue: '3', architecture: 'arm64' },
      { memoryMb: 1024, knobValue: '1', architecture: 'x86_64' }
    ];
    const deployment = new Deployment(t.port, 'grid-source', {
      mode: 'temporary-copy',
      memorySizes: [],
      runId: 'tc',
      cells,
      knobName: 'THREADS'
    });

    // Act
    const prepared = await deployment.prepare();

    // Assess
    expect(prepared.target.name).toBe('grid-source-lcg-tc');
    for (const [index, v] of prepared.versions.entries()) {
      const frozen = await t.port.getFunction(prepared.target.name, v.version);
      expect(frozen).toMatchObject({
        memorySize: cells[index]?.memoryMb,
        architecture: cells[index]?.architecture,
        environment: { ...ORIGINAL_ENV, THREADS: cells[index]?.knobValue }
      });
    }
    expect(await getFunction('grid-source')).toEqual(before);
    expect(versionsOf(t.emulator, 'grid-source')).toEqual([]);
    await deployment.cleanup();
    expect(snapshot(t.emulator, 'grid-source-lcg-tc')).toBeUndefined();
  });
});
