/**
 * `zhuxiao serve`: migrate, optionally load the demo data, listen, and shut down cleanly on
 * SIGINT/SIGTERM (stop accepting, finish requests in flight, stop the worker, close the database).
 */
import type { Config } from "../config.js";
import { buildServer } from "../http/server.js";
import { closeGracefully } from "../ops/drain.js";
import { openRuntime } from "../runtime.js";
import { loadDemo } from "./commands.js";

export async function serve(
  config: Readonly<Config>,
  opts: { demo: boolean; worker?: boolean },
): Promise<void> {
  const rt = await openRuntime(config, {
    // `--no-worker` wins over ZHUXIAO_WORKER; without the flag the setting decides.
    ...(opts.worker === false ? { startWorker: false } : {}),
    onMessage: (m) => process.stdout.write(`[outbox] sms to ${m.to}: ${m.text}\n`),
  });
  const app = await buildServer(rt.deps);
  if (config.fakeNow) {
    app.log.warn(
      { fakeNow: config.fakeNow.toISOString() },
      "ZHUXIAO_FAKE_NOW is set: the service's clock is not the real time (tests and demos only)",
    );
  }
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
