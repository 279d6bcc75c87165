import * as http from 'http';

/**
 * An HTTP server for a test peer on 127.0.0.1 that never closes an idle keep-alive connection itself.
 *
 * Why: Node's server closes a connection after 5 s idle (keepAliveTimeout). The SDK's agent keeps the
 * socket in its pool and can pick it in the same instant the server closes it; the request then dies
 * before it reaches us and the SDK retries it as attempt 2. Real endpoints do the same now and then, but
 * in a test it is noise: a read the suite did not fault shows up as retried (seen once on Node 26 in
 * faults.test.ts). With the timeout off, only the client closes idle sockets, and stop() closes the rest.
 */
export function loopbackServer(listener?: http.RequestListener): http.Server {
  const server = listener ? http.createServer(listener) : http.createServer();
  server.keepAliveTimeout = 0;
  return server;
}
