/**
 * The source of the program that runs inside each execution environment (a child `node` process),
 * playing the part of Lambda's Node.js runtime interface client.
 *
 * It is a string constant rather than a .js file beside this one so it works unchanged under jest,
 * tsx and an ncc bundle: nothing is resolved by path at run time. {@link writeBootstrap} writes it
 * to a private temporary directory, and environments run `node <dir>/bootstrap.mjs`. (Not
 * `node --input-type=module -e SOURCE`: worker threads inherit execArgv and refuse --input-type.)
 * It must stay plain ESM JavaScript; because it lives in a String.raw template it must not contain
 * backticks or dollar-brace sequences.
 *
 * Protocol (Node IPC, JSON):
 *   child -> parent: {t:'ready'} once booted; {t:'init', ok, ms, error?} after loading the handler;
 *     {t:'log', line} per log line; {t:'result', id, ok, ms, body? | error?} per invocation;
 *     {t:'fatal', error} just before a crash exit (uncaught exception, unhandled rejection).
 *   parent -> child: {t:'go'} once the CPU limit is in force (so module load is throttled);
 *     {t:'invoke', id, payload, deadline, arn}.
 * The handler comes from `_HANDLER` and `LAMBDA_TASK_ROOT`, as on Lambda.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

/**
 * Writes the bootstrap into a new private (0700) temporary directory and returns the file's path;
 * the directory is the caller's to remove. Private, so no other user can swap the file.
 */
export async function writeBootstrap(): Promise<string> {
  const dir = await fs.mkdtemp(join(os.tmpdir(), 'lambda-cost-gate-'));
  const path = join(dir, 'bootstrap.mjs');
  await fs.writeFile(path, BOOTSTRAP_SOURCE, { mode: 0o600 });
  return path;
}

export const BOOTSTRAP_SOURCE = String.raw`
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { performance } from 'node:perf_hooks';

if (typeof process.send !== 'function') process.exit(70);
const noop = () => {};
// Always pass a callback: without one a send on a closed channel emits an 'error' on process.
const send = (msg, cb) => { try { process.send(msg, undefined, {}, cb || noop); } catch { if (cb) cb(); } };
// The executor is gone: an environment never outlives it.
process.on('disconnect', () => process.exit(0));

let requestId;
const stamp = () => new Date().toISOString();
const emit = (line) => send({ t: 'log', line });

// console.* in Lambda's text format: time, request id, level, message (one log event per call).
const LEVELS = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };
for (const name of Object.keys(LEVELS)) {
  const level = LEVELS[name];
  console[name] = (...args) => emit(stamp() + '\t' + (requestId || 'undefined') + '\t' + level + '\t' + format(...args));
}

// Raw writes (process.stdout.write, worker threads' output piped into it) become one line each.
const partial = { stdout: '', stderr: '' };
for (const name of ['stdout', 'stderr']) {
  process[name].write = function (chunk, encoding, cb) {
    if (typeof encoding === 'function') cb = encoding;
    const text = typeof chunk === 'string' ? chunk
      : chunk instanceof Uint8Array ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8')
      : String(chunk);
    const lines = (partial[name] + text).split('\n');
    partial[name] = lines.pop();
    for (const line of lines) emit(line);
    if (typeof cb === 'function') process.nextTick(cb);
    return true;
  };
}
const flushPartial = () => {
  for (const name of ['stdout', 'stderr']) {
    if (partial[name]) { emit(partial[name]); partial[name] = ''; }
  }
};

// The error object Lambda's Node.js runtime returns for a thrown value.
function toLambdaError(e) {
  if (e !== null && typeof e === 'object' && typeof e.message === 'string') {
    return {
      errorType: typeof e.name === 'string' && e.name ? e.name : 'Error',
      errorMessage: e.message,
      trace: typeof e.stack === 'string' ? e.stack.split('\n') : []
    };
  }
  return { errorType: typeof e, errorMessage: String(e), trace: [] };
}
const logError = (label, error) => emit(stamp() + '\t' + (requestId || 'undefined') + '\tERROR\t' + label + ' \t' +
  JSON.stringify({ errorType: error.errorType, errorMessage: error.errorMessage, stack: error.trace }));

function die(error, code, label) {
  logError(label, error);
  flushPartial();
  send({ t: 'fatal', error }, () => process.exit(code));
  setTimeout(() => process.exit(code), 500);
}
// Exit codes of Lambda's runtime client for these two cases.
process.on('uncaughtException', (e) => die(toLambdaError(e), 129, 'Uncaught Exception'));
process.on('unhandledRejection', (reason) => {
  const inner = toLambdaError(reason);
  die({ errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: inner.errorType + ': ' + inner.errorMessage,
    trace: inner.trace }, 128, 'Unhandled Promise Rejection');
});

const taskRoot = process.env.LAMBDA_TASK_ROOT || process.cwd();
const handlerName = process.env._HANDLER || '';
const initFailure = (errorType, errorMessage, cause) => ({
  lambda: { errorType, errorMessage, trace: cause && typeof cause.stack === 'string' ? cause.stack.split('\n') : [] }
});

// 'dir/file.export.path' -> module dir/file(.js|.mjs|.cjs), export path ['export', 'path'].
async function loadHandler() {
  const slash = handlerName.lastIndexOf('/');
  const base = handlerName.slice(slash + 1);
  const dot = base.indexOf('.');
  if (dot < 1 || dot === base.length - 1) throw initFailure('Runtime.MalformedHandlerName', 'Bad handler ' + handlerName);
  const moduleName = handlerName.slice(0, slash + 1) + base.slice(0, dot);
  const path = base.slice(dot + 1).split('.');
  const file = ['.js', '.mjs', '.cjs'].map((ext) => join(taskRoot, moduleName + ext)).find((f) => existsSync(f));
  if (!file) throw initFailure('Runtime.ImportModuleError', "Error: Cannot find module '" + moduleName + "'");
  let mod;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (e) {
    if (e instanceof SyntaxError) throw initFailure('Runtime.UserCodeSyntaxError', String(e), e);
    if (e && (e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND')) {
      throw initFailure('Runtime.ImportModuleError', String(e), e);
    }
    throw e;
  }
  const find = (root) => path.reduce((o, k) => (o === null || o === undefined ? undefined : o[k]), root);
  let fn = find(mod);
  if (typeof fn !== 'function') fn = find(mod.default);
  if (typeof fn !== 'function') {
    throw initFailure('Runtime.HandlerNotFound', moduleName + '.' + path.join('.') + ' is undefined or not exported');
  }
  return fn;
}

let handler;
async function init() {
  const start = performance.now();
  try {
    handler = await loadHandler();
    flushPartial();
    send({ t: 'init', ok: true, ms: performance.now() - start });
  } catch (e) {
    const error = e && e.lambda ? e.lambda : toLambdaError(e);
    logError('Uncaught Exception', error);
    flushPartial();
    send({ t: 'init', ok: false, ms: performance.now() - start, error });
  }
}

function invoke(msg) {
  requestId = msg.id;
  let settled = false;
  let start = performance.now();
  const finish = (failed, value) => {
    if (settled) return;
    settled = true;
    const ms = performance.now() - start;
    if (!failed) {
      try {
        const body = JSON.stringify(value === undefined ? null : value);
        flushPartial();
        send({ t: 'result', id: msg.id, ok: true, ms, body: body === undefined ? 'null' : body });
        return;
      } catch (e) {
        value = e;
      }
    }
    const error = toLambdaError(value);
    logError('Invoke Error', error);
    flushPartial();
    send({ t: 'result', id: msg.id, ok: false, ms, error });
  };
  let event;
  try {
    event = msg.payload === '' ? {} : JSON.parse(msg.payload);
  } catch (e) {
    finish(true, { name: 'Runtime.UnmarshalError', message: 'Unable to parse event: ' + e.message });
    return;
  }
  const isError = (err) => err !== null && err !== undefined;
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: msg.arn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: msg.id,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, msg.deadline - Date.now()),
    done: (err, value) => finish(isError(err), isError(err) ? err : value),
    succeed: (value) => finish(false, value),
    fail: (err) => finish(true, err)
  };
  const callback = (err, value) => finish(isError(err), isError(err) ? err : value);
  start = performance.now();
  try {
    const returned = handler(event, context, callback);
    if (returned && typeof returned.then === 'function') {
      returned.then((value) => finish(false, value), (err) => finish(true, err));
    } else if (handler.length < 3) {
      // A synchronous handler without a callback: Lambda ignores its return value.
      finish(false, null);
    }
  } catch (e) {
    finish(true, e);
  }
}

process.on('message', (msg) => {
  if (!msg || typeof msg !== 'object') return;
  if (msg.t === 'go') void init();
  else if (msg.t === 'invoke' && handler) invoke(msg);
});
send({ t: 'ready' });
`;
