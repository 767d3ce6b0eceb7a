/**
 * The zhuxiao server as `zhuxiao serve` builds it (openRuntime + buildServer), in its own process
 * for a benchmark. One difference: the per-IP rate limit is raised, because every benchmark
 * request comes from 127.0.0.1 and the default 600 a minute would answer 429 after a second.
 * Tells the parent its port over IPC and closes cleanly on SIGTERM.
 *
 * BENCH_SIMULATORS=stub keeps the provider simulators from holding what they are primed with at
 * start (every card, line and account: gigabytes at ten million cards), for a scale benchmark
 * that wants the API's latencies rather than that; the results say when it was used.
 */
import { createSimulators } from "../../src/adapters/simulators/index.js";
import { loadConfig } from "../../src/config.js";
import { buildServer } from "../../src/http/server.js";
import { closeGracefully } from "../../src/ops/drain.js";
import { openRuntime } from "../../src/runtime.js";

const config = loadConfig(process.env);
function stubbedSimulators() {
  const sims = createSimulators({ failureRate: 0, latencyMs: 0, seed: config.simSeed });
  sims.network.lines.set = () => sims.network.lines;
  sims.crm.cards.set = () => sims.crm.cards;
  sims.billing.seed = () => {};
  return sims;
}

const rt = await openRuntime(
  config,
  process.env.BENCH_SIMULATORS === "stub" ? { simulators: stubbedSimulators() } : {},
);
const app = await buildServer(rt.deps, { rateLimit: { global: 1_000_000_000, auth: 1_000_000_000 } });
await app.listen({ host: "127.0.0.1", port: 0 });
const { port } = app.server.address() as { port: number };
process.send?.({ port });
process.on("SIGTERM", async () => {
  await closeGracefully(app);
  await rt.close();
  process.exit(0);
});
