/**
 * Batch sample: runs `jobs` CPU jobs of size `jobSize` on a pool of THREADS worker threads
 * (environment variable, default 1) and reports how long each job took.
 * Payload: { "jobs": 8, "jobSize": 200000 }.
 * Response: { jobs, threads, jobDurationsMs: number[] (per job, in job order), elapsedMs }.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

const THREADS = Math.min(64, Math.max(1, Number.parseInt(process.env.THREADS ?? '1', 10) || 1));

// The pool is made at the first invocation and kept while the environment is warm.
let pool;
function getPool() {
  pool ??= Array.from({ length: THREADS }, () => {
    const worker = new Worker(new URL('./worker.mjs', import.meta.url));
    worker.unref();
    // A worker that died takes the pool with it: the next invocation makes a new one.
    worker.once('exit', () => (pool = undefined));
    return worker;
  });
  return pool;
}

/** Sends job `index` to `worker` and resolves with the worker's answer. */
function runJob(worker, index, jobSize) {
  return new Promise((resolve, reject) => {
    const onExit = (code) => fail(new Error(`worker exited with code ${code}`));
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', fail);
      worker.off('exit', onExit);
    };
    const fail = (err) => {
      cleanup();
      reject(err);
    };
    const onMessage = (msg) => {
      if (msg.index !== index) return;
      cleanup();
      resolve(msg);
    };
    worker.on('message', onMessage);
    worker.on('error', fail);
    worker.on('exit', onExit);
    worker.postMessage({ index, jobSize });
  });
}

export const handler = async (event) => {
  const jobs = Number.isInteger(event?.jobs) && event.jobs >= 0 ? event.jobs : 8;
  const jobSize = Number.isInteger(event?.jobSize) && event.jobSize > 0 ? event.jobSize : 200_000;
  const start = performance.now();
  const jobDurationsMs = new Array(jobs);
  let next = 0;
  // Each worker takes the next job as soon as it is free.
  await Promise.all(
    getPool().map(async (worker) => {
      while (next < jobs) {
        const index = next++;
        jobDurationsMs[index] = (await runJob(worker, index, jobSize)).ms;
      }
    })
  );
  return { jobs, threads: THREADS, jobDurationsMs, elapsedMs: performance.now() - start };
};
