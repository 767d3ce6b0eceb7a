/**
 * The composition root: opens the database, migrates it, builds the adapters and the worker.
 * `serve`, the CLI commands and the tests all start here.
 */
import { join } from "node:path";
import { createArgon2Hasher } from "./adapters/argon2-hasher.js";
import { createFileNotifier } from "./adapters/file-notifier.js";
import { createHttpProviders } from "./adapters/http-providers.js";
import { createPiiVault } from "./adapters/pii-vault.js";
import { loadDataKeys, loadMasterSecret } from "./adapters/secret.js";
import { createSimulators, type Simulators } from "./adapters/simulators/index.js";
import { primeSimulators } from "./adapters/simulators/prime.js";
import { clockStartingAt, randomIds, systemClock } from "./adapters/system.js";
import type { AppDeps } from "./app/context.js";
import { pipelineHandlers } from "./app/processing/handlers.js";
import { enqueueScheduledJobs, scheduledHandlers } from "./app/scheduled/handlers.js";
import type { Config } from "./config.js";
import { type DbHandle, openDatabase } from "./db/connect.js";
import { migrateToLatest } from "./db/migrations.js";
import { startWorker, type Worker, type WorkerOptions } from "./jobs/worker.js";
import type { Mailer } from "./notify/channels.js";
import { notificationHandlers } from "./notify/deliver.js";
import { createHttpSmsGateway } from "./notify/http-sms-gateway.js";
import { createFileMailer, createSmtpMailer } from "./notify/smtp-mailer.js";
import type { Clock, Ids, Notifier, OutboundMessage, PasswordHasher } from "./ports/index.js";
import { openSigningKeys, signingKeyDir } from "./receipts/keys.js";

export interface Runtime {
  deps: AppDeps;
  handle: DbHandle;
  notifier: Notifier;
  worker: Worker;
  /** The provider systems in use (simulators), for inspection and fault injection. */
  simulators: Simulators;
  close(): Promise<void>;
}

export interface RuntimeOverrides {
  clock?: Clock;
  ids?: Ids;
  hasher?: PasswordHasher;
  notifier?: Notifier;
  mailer?: Mailer;
  /** Start the polling worker (false: jobs run only on `worker.drain()`). */
  startWorker?: boolean;
  onMessage?: (m: OutboundMessage) => void;
  onJobError?: (task: string, err: unknown) => void;
  simulators?: Simulators;
  /** Retry delay per attempt (tests use 0). */
  backoff?: (attempt: number) => number;
  /** Sees the SQL of every statement the database runs (tests count them). */
  onQuery?: (sql: string) => void;
}

export function outboxFile(config: Pick<Config, "dataDir">): string {
  return join(config.dataDir, "outbox", "messages.jsonl");
}

export async function openRuntime(config: Readonly<Config>, o: RuntimeOverrides = {}): Promise<Runtime> {
  const handle = openDatabase(config.databaseUrl, join(config.dataDir, "zhuxiao.db"), {
    onQuery: o.onQuery,
    sqliteCacheMb: config.sqliteCacheMb,
  });
  await migrateToLatest(handle.db as never);
  // Every process enqueues (in its own transactions), so graphile-worker's schema must exist first.
  // graphile-worker (and its share of memory) is loaded only by processes on PostgreSQL.
  if (handle.url) {
    const { Logger, runMigrations } = await import("graphile-worker");
    await runMigrations({ connectionString: handle.url, logger: new Logger(() => () => {}) });
  }
  const notifier =
    o.notifier ??
    (config.smsGatewayUrl
      ? createHttpSmsGateway({ url: config.smsGatewayUrl, token: config.smsGatewayToken })
      : createFileNotifier({ file: outboxFile(config), log: o.onMessage }));
  const mailer =
    o.mailer ??
    (config.smtpUrl
      ? createSmtpMailer(config.smtpUrl)
      : createFileMailer(join(config.dataDir, "outbox", "mail")));
  const clock = o.clock ?? (config.fakeNow ? clockStartingAt(config.fakeNow) : systemClock);
  const simulators =
    o.simulators ??
    createSimulators({
      failureRate: config.simFailureRate,
      latencyMs: config.simLatencyMs,
      seed: config.simSeed,
      failFirst: config.simFailFirst,
    });
  // The worker's handlers need the deps and the deps need the worker's kick: tie them late.
  let kick = () => {};
  const deps: AppDeps = {
    db: handle.db,
    clock,
    ids: o.ids ?? randomIds,
    vault: createPiiVault({ master: loadMasterSecret(config), ...loadDataKeys(config) }),
    hasher: o.hasher ?? createArgon2Hasher(),
    config,
    providers:
      config.providerUrl && config.providerSecret
        ? createHttpProviders({ baseUrl: config.providerUrl, secret: config.providerSecret, clock })
        : simulators,
    signingKeys: openSigningKeys({
      dir: signingKeyDir(config.dataDir),
      envKey: config.signingKey,
      envKeyFile: config.signingKeyFile,
    }),
    onJobsEnqueued: () => kick(),
  };
  const workerOptions: WorkerOptions = {
    db: handle.db,
    clock,
    handlers: {
      ...notificationHandlers(deps, { sms: notifier, email: mailer }),
      ...pipelineHandlers(deps),
      ...scheduledHandlers(deps),
    },
    onError: o.onJobError,
    backoff: o.backoff,
    onIdle: () => enqueueScheduledJobs(deps),
  };
  const runWorker = o.startWorker ?? config.inProcessWorker;
  const worker = handle.url
    ? (await import("./jobs/pg-worker.js")).startPgWorker(
        { ...workerOptions, connectionString: handle.url },
        runWorker,
      )
    : startWorker(workerOptions, runWorker);
  kick = () => worker.kick();
  await primeSimulators(handle.db, simulators);
  return {
    deps,
    handle,
    notifier,
    worker,
    simulators,
    async close() {
      await worker.stop();
      mailer.close();
      await handle.close();
    },
  };
}
