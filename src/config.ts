/**
 * Configuration from the environment, validated once at start-up and frozen.
 */
import { resolve } from "node:path";
import { z } from "zod";

const schema = z.object({
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  ZHUXIAO_DATA_DIR: z.string().default("./data"),
  DATABASE_URL: z.string().optional(),
  /** Base64 master secret (≥32 bytes) for personal-data encryption; else a file in the data dir. */
  ZHUXIAO_SECRET: z.string().optional(),
  ZHUXIAO_SECRET_FILE: z.string().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ZHUXIAO_OTP_COOLDOWN_SECONDS: z.coerce.number().int().min(0).default(60),
  ZHUXIAO_OTP_TTL_SECONDS: z.coerce.number().int().min(30).default(300),
  ZHUXIAO_SESSION_HOURS: z.coerce.number().min(0.1).default(8),
  ZHUXIAO_BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024),
  ZHUXIAO_TRUST_PROXY: z.stringbool().default(false),
  ZHUXIAO_WORKER: z.stringbool().default(true),
  ZHUXIAO_SIM_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  ZHUXIAO_SIM_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(50),
  ZHUXIAO_SIM_SEED: z.coerce.number().int().default(42),
  /** Real provider systems over HTTP instead of the simulators (docs/integration.md). */
  ZHUXIAO_PROVIDER_URL: z.string().url().optional(),
  /** Shared secret for HMAC signatures, outbound calls and inbound webhooks alike. */
  ZHUXIAO_PROVIDER_SECRET: z.string().min(16).optional(),
});

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  secret: string | undefined;
  secretFile: string;
  logLevel: z.infer<typeof schema>["LOG_LEVEL"];
  otpCooldownSeconds: number;
  otpTtlSeconds: number;
  sessionHours: number;
  bodyLimit: number;
  trustProxy: boolean;
  /** Run the job worker inside the API process (the default for a single-machine install). */
  inProcessWorker: boolean;
  /** Provider-system simulators: injected failure rate, latency and seed. */
  simFailureRate: number;
  simLatencyMs: number;
  simSeed: number;
  providerUrl: string | undefined;
  providerSecret: string | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`invalid configuration:\n${lines}`);
  }
  const e = parsed.data;
  if (e.ZHUXIAO_PROVIDER_URL && !e.ZHUXIAO_PROVIDER_SECRET) {
    throw new Error(
      "invalid configuration:\n  ZHUXIAO_PROVIDER_URL needs ZHUXIAO_PROVIDER_SECRET to sign the calls",
    );
  }
  const dataDir = resolve(e.ZHUXIAO_DATA_DIR);
  return Object.freeze({
    host: e.HOST,
    port: e.PORT,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    secret: e.ZHUXIAO_SECRET,
    secretFile: e.ZHUXIAO_SECRET_FILE ?? resolve(dataDir, "keys", "master.key"),
    logLevel: e.LOG_LEVEL,
    otpCooldownSeconds: e.ZHUXIAO_OTP_COOLDOWN_SECONDS,
    otpTtlSeconds: e.ZHUXIAO_OTP_TTL_SECONDS,
    sessionHours: e.ZHUXIAO_SESSION_HOURS,
    bodyLimit: e.ZHUXIAO_BODY_LIMIT,
    trustProxy: e.ZHUXIAO_TRUST_PROXY,
    inProcessWorker: e.ZHUXIAO_WORKER,
    simFailureRate: e.ZHUXIAO_SIM_FAILURE_RATE,
    simLatencyMs: e.ZHUXIAO_SIM_LATENCY_MS,
    simSeed: e.ZHUXIAO_SIM_SEED,
    providerUrl: e.ZHUXIAO_PROVIDER_URL,
    providerSecret: e.ZHUXIAO_PROVIDER_SECRET,
  });
}
