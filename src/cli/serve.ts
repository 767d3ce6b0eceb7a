/**
 * `zhuxiao serve`: migrate, optionally load the demo data, listen, and shut down cleanly on
 * SIGINT/SIGTERM (stop accepting, finish requests in flight, stop the worker, close the database).
 */
import type { Config } from "../config.js";
import { buildServer } from "../http/server.js";
import { closeGracefully } from "../ops/drain.js";
import { openRuntime } from "../runtime.js";
import { loadDemo } from "./commands.js";

export async function serve(config: Readonly<Config>, opts: { demo: boolean }): Promise<void> {
  const rt = await openRuntime(config, {
    onMessage: (m) => process.stdout.write(`[outbox] sms to ${m.to}: ${m.text}\n`),
  });
  const app = await buildServer(rt.deps);
  if (opts.demo) {
    const note = await loadDemo(rt);
    if (note) app.log.info(note);
  }
  await app.listen({ host: config.host, port: config.port });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, "shutting down");
    await closeGracefully(app);
    await rt.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}
