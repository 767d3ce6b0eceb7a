/**
 * The reference for reads: Fastify with nothing else (no logger, hooks, plugins or database),
 * answering the status-read route with the bytes the real server answered, read from a file.
 */
import { readFileSync } from "node:fs";
import Fastify from "fastify";

const body = readFileSync(process.env.BENCH_BODY_FILE ?? "", "utf8");
const app = Fastify({ logger: false });
app.get("/api/v1/applications/:id", (_req, reply) => {
  reply.type("application/json; charset=utf-8").send(body);
});
await app.listen({ host: "127.0.0.1", port: 0 });
process.send?.({ port: (app.server.address() as { port: number }).port });
process.on("SIGTERM", async () => {
  await app.close();
  process.exit(0);
});
