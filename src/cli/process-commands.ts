/**
 * Processes for a multi-process deployment on PostgreSQL (docs/deploy.md): `zhuxiao worker` runs
 * only the jobs, and `zhuxiao simulators` serves the provider-system simulators over HTTP so that
 * every API process and worker talks to the same simulated systems.
 */
import type { Command } from "commander";
import { createSimulatorServer } from "../adapters/simulators/http-server.js";
import { loadConfig } from "../config.js";
import { openRuntime } from "../runtime.js";

function onSignal(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = () => {
    if (stopping) return;
    stopping = true;
    void stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
}

export function registerProcessCommands(program: Command): void {
  program
    .command("worker")
    .description("run the job worker only (outbox delivery, processing pipeline, scheduled jobs); no HTTP")
    .action(async () => {
      const config = loadConfig();
      const rt = await openRuntime(config, {
        startWorker: true,
        onJobError: (task, err) =>
          process.stderr.write(`job ${task} failed: ${err instanceof Error ? err.message : String(err)}\n`),
      });
      process.stdout.write(`worker ${process.pid} running on ${rt.handle.dialect}\n`);
      // A SIGTERM lets the job in hand finish; a killed worker's job is taken over by another.
      onSignal(() => rt.close());
    });

  program
    .command("simulators")
    .description(
      "serve the provider-system simulators on HOST:PORT over the provider HTTP protocol (needs ZHUXIAO_PROVIDER_SECRET)",
    )
    .action(async () => {
      const config = loadConfig({ ...process.env, ZHUXIAO_PROVIDER_URL: undefined });
      const secret = process.env.ZHUXIAO_PROVIDER_SECRET;
      if (!secret || secret.length < 16) {
        throw new Error(
          "zhuxiao simulators needs ZHUXIAO_PROVIDER_SECRET (≥ 16 characters) to check signatures",
        );
      }
      // The simulators are primed from the database, like the in-process ones.
      const rt = await openRuntime(config, { startWorker: false });
      const server = createSimulatorServer(rt.simulators, secret, () => rt.deps.clock.now().getTime());
      await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
      process.stdout.write(`simulators listening on http://${config.host}:${config.port}\n`);
      onSignal(async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await rt.close();
      });
    });
}
