/**
 * Closing the HTTP server without waiting on keep-alive clients. `app.close()` stops accepting
 * and closes the connections idle at that moment, then waits for the rest; but a connection
 * busy at the signal becomes idle once its response is sent and then stays open until the
 * client lets go or the keep-alive timeout ends (72 s by Fastify's default). A reverse proxy
 * with upstream keep-alive holds on, so shutdown would take that long. Reaping idle connections
 * until the close completes ends each one as soon as its last response is out.
 */
import type { FastifyInstance } from "fastify";

const REAP_EVERY_MS = 50;

export async function closeGracefully(app: FastifyInstance): Promise<void> {
  const closing = app.close();
  const reaper = setInterval(() => app.server.closeIdleConnections(), REAP_EVERY_MS);
  try {
    await closing;
  } finally {
    clearInterval(reaper);
  }
}
