/**
 * `lambda-cost-gate demo` (the README's first command): the whole pull-request story on an embedded
 * emulator, with no AWS account and no GitHub. A sample function is deployed as if it were yours; a push to
 * main records its baseline; a pull request then brings a candidate with a real code regression (it does
 * twice the CPU work), which is swept, compared with the baseline and judged against the budgets, through
 * the same input parsing, gate and renderer the action uses. The PR comment is printed, and the comment,
 * the job summary and the JSON reports are written to a folder.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createLambdaClient } from '../aws/clients.js';
import { startEmulator } from '../emulator/emulator.js';
import { InputError } from '../errors.js';
import { createAwsPorts } from '../gate/aws-ports.js';
import type { GateContext } from '../gate/context.js';
import { decide } from '../gate/decide.js';
import { publishOutcome } from '../gate/publish.js';
import { runGate, type GateDependencies } from '../gate/run-gate.js';
import { commentMarker } from '../github/comment-marker.js';
import { checkCandidateCode } from '../inputs/candidate-code.js';
import { parseGateSettings } from '../inputs/gate-settings.js';
import type { InputName } from '../inputs/names.js';
import { renderFunctionComment } from '../report/comment.js';
import { renderGridSection } from '../report/comment-grid.js';
import { serializeRunReport } from '../report/run-report.js';
import { VERSION } from '../version.js';
import { deployExample } from './deploy-example.js';
import { sweepBatchWorker } from './grid-demo.js';

const FUNCTION = 'checkout';
const CREDENTIALS = { accessKeyId: 'demo', secretAccessKey: 'demo' };
/** What both runs share, spelled as a workflow's `with:` block would. */
const INPUTS: Partial<Record<InputName, string>> = {
  'function-name': FUNCTION,
  'memory-sizes': '512,1024,1769',
  invocations: '10',
  'gate-invocations': '300',
  warmup: '1',
  concurrency: '1',
  payload: '{"n":250000}',
  'max-cost-increase': '5%',
  'max-p99-increase': '10%',
  'monthly-invocations': '5000000',
  'max-monthly-increase': '10'
};

export async function runDemo(args: string[], print: (line: string) => void): Promise<void> {
  const { outDir } = parseDemoArgs(args);
  mkdirSync(outDir, { recursive: true });
  const started = Date.now();
  const emulator = await startEmulator({ config: { updateDelayMs: 0 } });
  print(
    `Emulator at ${emulator.endpoint}; CPU limited by ${emulator.mechanisms.cpu}, memory by ${emulator.mechanisms.memory}.`
  );
  const client = createLambdaClient({ endpoint: emulator.endpoint, region: emulator.region, credentials: CREDENTIALS });
  const aws = createAwsPorts({ endpointUrl: emulator.endpoint, region: emulator.region, maxAttempts: 3 });
  // The emulator accepts any credentials; the SDK still wants some.
  process.env.AWS_ACCESS_KEY_ID ??= CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY ??= CREDENTIALS.secretAccessKey;
  try {
    await deployExample(client, {
      functionName: FUNCTION,
      directory: resolve('examples/functions/cpu-bound'),
      memoryMb: 1024
    });
    print(`Deployed ${FUNCTION} (examples/functions/cpu-bound) at 1024 MB.\n`);

    const deps = (reportDir: string): GateDependencies => {
      mkdirSync(reportDir, { recursive: true });
      return {
        portsFor: aws.portsFor,
        uploader: {
          upload: async () => ({ uploaded: false, reason: 'the demo has no GitHub artifact service' })
        },
        readFile: (path) => readFileSync(path, 'utf8'),
        writeFile: (path, text) => writeFileSync(path, text),
        reportDir,
        toolVersion: VERSION,
        log: (line) => print(`  ${line}`),
        onProgress: (_name, event) => {
          if (event.type === 'phase') print(`  ${event.message}`);
        }
      };
    };

    print('1. Push to main: recording the baseline (mode: baseline).');
    const baseline = await runGate(
      settingsFrom({ mode: 'baseline' }),
      { onRunner: false },
      deps(join(outDir, 'baseline'))
    );
    const baselinePath = baseline.reportPath!;
    print(`  Baseline report: ${baselinePath}\n`);

    print('2. Pull request #42 changes the code (examples/functions/cpu-bound-v2): gating it (mode: compare).');
    const context: GateContext = {
      onRunner: false,
      repository: 'example/shop',
      pullRequest: { number: 42, headSha: 'c0ffee0', baseSha: 'ba5e000', baseRef: 'main', isFork: false, labels: [] }
    };
    const settings = settingsFrom({
      mode: 'compare',
      code: resolve('examples/functions/cpu-bound-v2'),
      'baseline-file': baselinePath
    });
    const gate = await runGate(settings, context, deps(join(outDir, 'candidate')));
    const now = new Date();
    let summary = '';
    const outcome = await publishOutcome(gate, settings, context, {
      sink: {
        setOutput: () => undefined,
        writeSummary: async (markdown) => {
          summary = markdown;
        },
        annotate: () => undefined,
        info: (line) => print(`  ${line}`)
      },
      now
    });
    const fn = outcome.functions[0]!;
    const comment = renderFunctionComment({
      marker: commentMarker(fn.functionName, now),
      outcome,
      fn,
      run: { repository: 'example/shop', pullRequest: 42, commit: 'c0ffee0' },
      now
    });
    writeFileSync(join(outDir, 'pr-comment.md'), comment);
    writeFileSync(join(outDir, 'job-summary.md'), summary);
    print('\n----- the pull request comment -----\n');
    print(comment);
    print('\n------------------------------------\n');
    const decision = decide(outcome, settings);
    print(
      decision.fail
        ? `The check FAILS (exit code 1 in CI): ${decision.message}`
        : `The check passes: ${decision.message}`
    );
    const after = emulator.state().find((f) => f.name === FUNCTION);
    print(
      `${FUNCTION} is back at ${after?.memorySize} MB with its original code and ${after?.versions.length ?? 0} versions.`
    );

    print('\n3. A batch function: which memory size and how many worker threads (grid-env: THREADS=1,2,4,8)?');
    const gridReport = await sweepBatchWorker(client, aws, {
      functionName: 'batch',
      memorySizes: '512,1024,1769,3538',
      threads: '1,2,4,8',
      invocations: 4,
      environment: { THREADS: '2' },
      memoryMb: 1024,
      toolVersion: VERSION
    });
    const gridSection = renderGridSection(gridReport.grid!, { title: 'batch: memory × THREADS' });
    writeFileSync(join(outDir, 'grid-comment.md'), `${gridSection}\n`);
    writeFileSync(join(outDir, 'grid.run-report.json'), serializeRunReport(gridReport));
    print(`\n${gridSection}\n`);
    print(
      `Written to ${outDir}: pr-comment.md, job-summary.md, grid-comment.md, grid.run-report.json, baseline/ and candidate/ JSON reports.`
    );
    print(`The demo took ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  } finally {
    client.destroy();
    aws.close();
    await emulator.close();
  }
}

function settingsFrom(extra: Partial<Record<InputName, string>>) {
  const inputs = { ...INPUTS, ...extra };
  return parseGateSettings((name) => inputs[name] ?? '', {
    readFile: (path) => readFileSync(path, 'utf8'),
    newRunId: () => `demo-${Date.now().toString(36)}`,
    checkCode: checkCandidateCode
  });
}

function parseDemoArgs(args: string[]): { outDir: string } {
  const { values } = parseArgs({ args, options: { out: { type: 'string', default: 'demo-output' } }, strict: true });
  if (values.out.trim() === '')
    throw new InputError('--out', values.out, 'a folder for the comment, summary and reports');
  return { outDir: resolve(values.out) };
}
