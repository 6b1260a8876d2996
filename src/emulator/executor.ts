/**
 * Routes each invocation to the executor for its code: real Node.js code runs in child processes,
 * modelled functions are computed in-process.
 */
import { createModelExecutor } from './model/model-executor.js';
import type { CpuMechanism, EnvironmentSpec, Executor, MemoryMechanism } from './runtime/types.js';

/** One executor over both kinds of code; `mechanisms()` reports the real-code one. */
export function combineExecutors(processExecutor: Executor, modelExecutor: Executor = createModelExecutor()): Executor {
  const pick = (spec: EnvironmentSpec): Executor => (spec.code.kind === 'model' ? modelExecutor : processExecutor);
  return {
    invoke: (spec, requestId, payload) => pick(spec).invoke(spec, requestId, payload),
    retire: async (keyPrefix) => {
      await Promise.all([processExecutor.retire(keyPrefix), modelExecutor.retire(keyPrefix)]);
    },
    close: async () => {
      await Promise.all([processExecutor.close(), modelExecutor.close()]);
    },
    mechanisms: (): { cpu: CpuMechanism; memory: MemoryMechanism } => processExecutor.mechanisms()
  };
}
