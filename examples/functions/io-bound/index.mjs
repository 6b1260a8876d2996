/**
 * I/O-bound sample: waits on one HTTP GET and returns what came back. The time is spent waiting,
 * not computing, so it barely depends on memory.
 * Payload: { "url": "http://127.0.0.1:PORT/", "delayMs": 100 } (url required; delayMs is sent as
 * the `delayMs` query parameter, which the delay server in this folder honours).
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

// Kept across warm invocations, as real functions keep their clients.
const agent = new http.Agent({ keepAlive: true });

function get(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

export const handler = async (event) => {
  if (typeof event?.url !== 'string') throw new TypeError('payload.url is required (see README.md)');
  const url = new URL(event.url);
  if (Number.isFinite(event.delayMs)) url.searchParams.set('delayMs', String(event.delayMs));
  const start = performance.now();
  const { status, body } = await get(url);
  return { status, body: body.slice(0, 200), waitedMs: performance.now() - start };
};
