/** Shared helpers of the runtime tests: specs for the sample and fixture functions, process checks. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EnvironmentSpec, InvocationResult } from '../../src/emulator/runtime/types.js';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(here, 'fixtures');
export const EXAMPLES = join(here, '..', '..', 'examples', 'functions');

/** A spec for the code in `dir`; the key is unique per directory, handler, memory and `tag`. */
export function specFor(dir: string, overrides: Partial<EnvironmentSpec> & { tag?: string } = {}): EnvironmentSpec {
  const { tag = '', ...rest } = overrides;
  const spec: EnvironmentSpec = {
    key: '',
    functionName: dir.split('/').pop() ?? 'fn',
    version: '$LATEST',
    memoryMb: 1769,
    timeoutSec: 30,
    handler: 'index.handler',
    runtime: 'nodejs20.x',
    architecture: 'x86_64',
    environment: {},
    code: { kind: 'directory', path: dir },
    ...rest
  };
  spec.key ||= `test:${dir}:${spec.handler}:${spec.memoryMb}:${tag}`;
  return spec;
}

export const json = (payload: unknown): Buffer => Buffer.from(JSON.stringify(payload));
export const parse = (result: InvocationResult): any => JSON.parse(result.payload.toString('utf8')); // eslint-disable-line @typescript-eslint/no-explicit-any

/** Whether a process with this pid exists (a zombie counts: it has not been reaped). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Child pids of this process (all threads), from /proc. */
export function ownChildren(): number[] {
  const tasks = readdirSync(`/proc/${process.pid}/task`);
  return tasks.flatMap((tid) => {
    try {
      return readFileSync(`/proc/${process.pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
}

let counter = 0;
/** A fresh request id per call. */
export const rid = (): string => `req-${process.pid}-${++counter}`;
