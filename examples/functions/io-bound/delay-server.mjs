/**
 * A local HTTP server for the io-bound sample: answers every GET after `?delayMs=N` ms (default
 * 100) with `{"delayedMs":N}`. Demos and tests start it next to the emulator:
 *
 *   const server = await startDelayServer();   // port 0: any free port
 *   invoke with { "url": `http://127.0.0.1:${server.port}/` , "delayMs": 100 }
 *   await server.close();
 */
import http from 'node:http';

export async function startDelayServer(port = 0) {
  const server = http.createServer((req, res) => {
    const delayMs = Number(new URL(req.url ?? '/', 'http://localhost').searchParams.get('delayMs') ?? 100);
    setTimeout(
      () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ delayedMs: delayMs }));
      },
      Number.isFinite(delayMs) ? delayMs : 100
    );
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}
