/**
 * The action's work. For now it validates the inputs, reaches the function through the shared client
 * factory and reports its memory, architecture and runtime; the sweep and the gate build on this.
 */
import * as core from '@actions/core';
import { createLambdaClient } from './aws/clients.js';
import { readFunctionSummary } from './aws/function-config.js';
import { errorMessage } from './errors.js';
import { parseConfig } from './inputs/config.js';
import { Outputs } from './inputs/names.js';

/**
 * Runs the action. Never throws: every failure ends in one `core.setFailed` call.
 *
 * @example
 * ```ts
 * import { run } from './main.js';
 * await run();
 * ```
 */
export async function run(): Promise<void> {
  try {
    const config = parseConfig((name) => core.getInput(name));
    const lambda = createLambdaClient({
      region: config.region,
      endpoint: config.endpointUrl,
      maxAttempts: config.maxAttempts
    });
    try {
      const fn = await readFunctionSummary(lambda, config.functionName);
      core.notice(`Function ${fn.name}: ${fn.memorySize} MB, ${fn.architecture}, runtime ${fn.runtime}`);
      core.setOutput(Outputs.MemorySize, String(fn.memorySize));
      core.setOutput(Outputs.Architecture, fn.architecture);
    } finally {
      // Closes kept-alive sockets so the process can exit as soon as the work is done.
      lambda.destroy();
    }
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}
