/**
 * Memory-hungry sample: allocates `mb` MiB of buffers, writes to every page so they are really
 * resident, checksums them and returns. Below about mb + 60 MB of memory size the environment is
 * OOM-killed (Runtime.OutOfMemory).
 * Payload: { "mb": 300 } (default 300).
 */
import { performance } from 'node:perf_hooks';

const MIB = 1024 * 1024;

export const handler = async (event) => {
  const mb = Number.isFinite(event?.mb) && event.mb >= 0 ? Math.floor(event.mb) : 300;
  const start = performance.now();
  const chunks = [];
  for (let i = 0; i < mb; i++) {
    // allocUnsafeSlow + fill: a zeroed allocation can be lazily mapped and never become resident.
    chunks.push(Buffer.allocUnsafeSlow(MIB).fill(i & 0xff));
  }
  let checksum = 0;
  for (const chunk of chunks) for (let off = 0; off < MIB; off += 4096) checksum = (checksum + chunk[off]) % 65521;
  return { allocatedMb: mb, checksum, elapsedMs: performance.now() - start };
};
