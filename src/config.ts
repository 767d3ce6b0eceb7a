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
  // Log lines gathered into blocks of this size before a write (src/http/logging.ts); 0: one write per line.
  ZHUXIAO_LOG_BUFFER_KB: z.coerce.number().int().min(0).max(15).default(4),
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
  /** Documents are deleted this many days after their application closed, was withdrawn or rejected. */
  ZHUXIAO_DOCUMENT_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  /** Idempotency records (keys, request hashes, stored answers, provider event ids) are kept this long. */
  ZHUXIAO_IDEMPOTENCY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  ZHUXIAO_SIM_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  ZHUXIAO_SIM_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(50),
  ZHUXIAO_SIM_SEED: z.coerce.number().int().default(42),
  /** Fail these simulator operations on their first N calls, e.g. `blockCard=5,barLine=2` (demos, browser tests). */
  ZHUXIAO_SIM_FAIL_FIRST: z
    .string()
    .regex(/^\w+=\d+(,\w+=\d+)*$/, "op=N[,op=N…]")
    .optional(),
  /** Real provider systems over HTTP instead of the simulators (docs/integration.md). */
  ZHUXIAO_PROVIDER_URL: z.string().url().optional(),
  /** Shared secret for HMAC signatures, outbound calls and inbound webhooks alike. */
  ZHUXIAO_PROVIDER_SECRET: z.string().min(16).optional(),
  /** Where the public reaches this service: receipts' QR codes point at `<url>/verify`; default http://127.0.0.1:PORT. */
  ZHUXIAO_PUBLIC_URL: z
    .string()
    .url()
    .regex(/^https?:\/\//, "must be http(s)")
    .optional(),
  /** Ed25519 private key (JWK or PKCS#8 PEM) for receipts; else keys in the data dir. */
  ZHUXIAO_SIGNING_KEY: z.string().optional(),
  ZHUXIAO_SIGNING_KEY_FILE: z.string().optional(),
  /** A font that prints Chinese on receipts (`path` or `path.ttc#PostScriptName`, `none`). */
  ZHUXIAO_CJK_FONT: z.string().optional(),
  ZHUXIAO_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, "must be smtp://… or smtps://…")
    .optional(),
  ZHUXIAO_MAIL_FROM: z
    .string()
    .regex(/@/, "must contain an address")
    .default("注销服务 <no-reply@zhuxiao.invalid>"),
  ZHUXIAO_SMS_GATEWAY_URL: z.string().url().optional(),
  ZHUXIAO_SMS_GATEWAY_TOKEN: z.string().min(8).optional(),
  /** Local hours (provider's zone) when no notification SMS is sent: "HH:MM-HH:MM" or "off". */
  ZHUXIAO_SMS_QUIET_HOURS: z
    .string()
    .regex(/^(off|([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d)$/, 'must be "HH:MM-HH:MM" or "off"')
    .default("21:00-08:00"),
  /** Memory for answers remembered until the database changes (status reads, sessions); 0 turns it off. */
  ZHUXIAO_READ_CACHE_MB: z.coerce.number().min(0).max(1024).default(4),
  ZHUXIAO_SQLITE_CACHE_MB: z.coerce.number().min(1).max(4096).default(4),
  /**
   * Testing and demos only: the service's clock starts at this instant (ISO 8601 with a zone) and
   * runs on from there, e.g. to be inside the providers' online hours whatever the real time.
   */
  ZHUXIAO_FAKE_NOW: z.iso.datetime({ offset: true }).optional(),
  NODE_ENV: z.string().optional(),
});

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  secret: string | undefined;
  secretFile: string;
  logLevel: z.infer<typeof schema>["LOG_LEVEL"];
  /** Log lines are gathered up to this many bytes, and written at least every second. */
  logBufferBytes: number;
  otpCooldownSeconds: number;
  otpTtlSeconds: number;
  sessionHours: number;
  bodyLimit: number;
  trustProxy: boolean;
  /** Run the job worker inside the API process (the default for a single-machine install). */
  inProcessWorker: boolean;
  /** Provider-system simulators: injected failure rate, latency and seed. */
  documentRetentionDays: number;
  idempotencyRetentionDays: number;
  simFailureRate: number;
  simLatencyMs: number;
  simSeed: number;
  simFailFirst: Readonly<Record<string, number>>;
  providerUrl: string | undefined;
  providerSecret: string | undefined;
  publicUrl: string;
  signingKey: string | undefined;
  signingKeyFile: string | undefined;
  cjkFont: string | undefined;
  /** E-mail over SMTP; without it e-mails are written as .eml files to `<data dir>/outbox/mail/`. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** SMS through an HTTP gateway; without it SMS go to the outbox file. */
  smsGatewayUrl: string | undefined;
  smsGatewayToken: string | undefined;
  smsQuietHours: { from: string; to: string } | null;
  /** Memory for remembered reads, in MB (ZHUXIAO_READ_CACHE_MB); 0: every read goes to the database. */
  readCacheMb: number;
  /** SQLite's page cache per connection, in MB (ZHUXIAO_SQLITE_CACHE_MB; the process has two). */
  sqliteCacheMb: number;
  /** Testing and demos: where the clock starts (ZHUXIAO_FAKE_NOW); refused in production. */
  fakeNow: Date | undefined;
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
  if (e.ZHUXIAO_FAKE_NOW && e.NODE_ENV === "production") {
    throw new Error(
      "invalid configuration:\n  ZHUXIAO_FAKE_NOW moves the service's clock, for tests and demos only: unset it when NODE_ENV=production",
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
    logBufferBytes: e.ZHUXIAO_LOG_BUFFER_KB * 1024,
    otpCooldownSeconds: e.ZHUXIAO_OTP_COOLDOWN_SECONDS,
    otpTtlSeconds: e.ZHUXIAO_OTP_TTL_SECONDS,
    sessionHours: e.ZHUXIAO_SESSION_HOURS,
    bodyLimit: e.ZHUXIAO_BODY_LIMIT,
    trustProxy: e.ZHUXIAO_TRUST_PROXY,
    inProcessWorker: e.ZHUXIAO_WORKER,
    documentRetentionDays: e.ZHUXIAO_DOCUMENT_RETENTION_DAYS,
    idempotencyRetentionDays: e.ZHUXIAO_IDEMPOTENCY_RETENTION_DAYS,
    simFailureRate: e.ZHUXIAO_SIM_FAILURE_RATE,
    simLatencyMs: e.ZHUXIAO_SIM_LATENCY_MS,
    simSeed: e.ZHUXIAO_SIM_SEED,
    simFailFirst: Object.fromEntries(
      (e.ZHUXIAO_SIM_FAIL_FIRST?.split(",") ?? []).map((p) => [p.split("=")[0]!, Number(p.split("=")[1])]),
    ),
    providerUrl: e.ZHUXIAO_PROVIDER_URL,
    providerSecret: e.ZHUXIAO_PROVIDER_SECRET,
    publicUrl: (e.ZHUXIAO_PUBLIC_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/+$/, ""),
    signingKey: e.ZHUXIAO_SIGNING_KEY,
    signingKeyFile: e.ZHUXIAO_SIGNING_KEY_FILE,
    cjkFont: e.ZHUXIAO_CJK_FONT,
    smtpUrl: e.ZHUXIAO_SMTP_URL,
    mailFrom: e.ZHUXIAO_MAIL_FROM,
    smsGatewayUrl: e.ZHUXIAO_SMS_GATEWAY_URL,
    smsGatewayToken: e.ZHUXIAO_SMS_GATEWAY_TOKEN,
    smsQuietHours:
      e.ZHUXIAO_SMS_QUIET_HOURS === "off"
        ? null
        : {
            from: e.ZHUXIAO_SMS_QUIET_HOURS.slice(0, 5),
            to: e.ZHUXIAO_SMS_QUIET_HOURS.slice(6),
          },
    readCacheMb: e.ZHUXIAO_READ_CACHE_MB,
    sqliteCacheMb: e.ZHUXIAO_SQLITE_CACHE_MB,
    fakeNow: e.ZHUXIAO_FAKE_NOW ? new Date(e.ZHUXIAO_FAKE_NOW) : undefined,
  });
}
