import * as net from 'net';

/**
 * Asks the kernel for a free TCP port on the loopback interface (listen on port 0, read it, close).
 *
 * WHY a separate helper: moto's server takes its port on the command line, so it cannot bind
 * port 0 itself and tell us. The port can be taken by another process between close() and the
 * caller's bind, so whoever spawns a server on it should retry with a fresh port if the bind fails.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error(`unexpected listen address: ${String(address)}`));
        return;
      }
      const port = address.port;
      server.close(() => resolve(port));
    });
  });
}
