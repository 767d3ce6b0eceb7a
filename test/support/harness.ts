/**
 * A whole zhuxiao on a temporary data directory with the demo data, a clock the test controls,
 * and helpers to sign in and read the outbox. Each harness stops what it started.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance, InjectOptions } from "fastify";
import type { Simulators } from "../../src/adapters/simulators/index.js";
import { primeSimulators } from "../../src/adapters/simulators/prime.js";
import { type Config, loadConfig } from "../../src/config.js";
import { seedDemo } from "../../src/demo/seed.js";
import { buildServer } from "../../src/http/server.js";
import type { Clock, Ids, OutboundMessage } from "../../src/ports/index.js";
import { openRuntime, outboxFile, type Runtime } from "../../src/runtime.js";
import { forgetDatabaseEnv, newTestDatabase, rememberDatabaseEnv, type TestDatabaseUrl } from "./database.js";

/** Tuesday 2026-11-24 10:00 in Shanghai: inside every demo service window, not a month end. */
export const DEFAULT_NOW = new Date("2026-11-24T02:00:00Z");

export const STAFF_PASSWORDS = {
  admin: "admin-password-123",
  supervisor: "supervisor-password-123",
  agent: "agent-password-123",
} as const;

export class TestClock implements Clock {
  constructor(public t: Date = DEFAULT_NOW) {}
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t = new Date(this.t.getTime() + ms);
  }
}

export interface Session {
  token: string;
  csrfToken: string;
  headers: Record<string, string>;
}

/** A valid 1×1 PNG. */
export const TINY_PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f00050001ff89993d1d0000000049454e44ae426082",
  "hex",
);

let keyCounter = 0;
export function newKey(label = "k"): string {
  keyCounter += 1;
  return `${label}-${process.pid}-${keyCounter}-${randomBytes(4).toString("hex")}`;
}

export class Harness {
  private constructor(
    readonly app: FastifyInstance,
    readonly rt: Runtime,
    readonly dir: string,
    readonly clock: TestClock,
    readonly config: Readonly<Config>,
    private readonly database: TestDatabaseUrl,
  ) {}

  static async start(
    opts: {
      env?: Record<string, string>;
      seed?: boolean;
      simulators?: Simulators;
      /** Sees the SQL of every statement the database runs. */
      onQuery?: (sql: string) => void;
      /** Ids and application numbers (default: random). */
      ids?: Ids;
    } = {},
  ): Promise<Harness> {
    const dir = mkdtempSync(join(tmpdir(), "zhuxiao-test-"));
    // SQLite in the data dir, or a new database in the postgres project's cluster.
    const ownSecret = Boolean(opts.env?.ZHUXIAO_SECRET || opts.env?.ZHUXIAO_SECRET_FILE);
    const database = await newTestDatabase({ seeded: opts.seed !== false, fromTemplate: !ownSecret });
    const config = loadConfig({
      ...database.env,
      ZHUXIAO_DATA_DIR: dir,
      LOG_LEVEL: "silent",
      ZHUXIAO_OTP_COOLDOWN_SECONDS: "60",
      ZHUXIAO_WORKER: "false",
      ZHUXIAO_SIM_LATENCY_MS: "0",
      ...opts.env,
    });
    const clock = new TestClock();
    // Retries run at once: the clock is the test's, and backoff would only make tests wait.
    const rt = await openRuntime(config, {
      clock,
      startWorker: false,
      simulators: opts.simulators,
      backoff: () => 0,
      onQuery: opts.onQuery,
      ids: opts.ids,
    });
    if (opts.seed !== false) {
      await seedDemo(rt.deps, { staffPasswords: { ...STAFF_PASSWORDS } });
      await primeSimulators(rt.deps.db, rt.simulators);
    }
    const app = await buildServer(rt.deps, {
      logLevel: "silent",
      rateLimit: { global: 100_000, auth: 10_000 },
    });
    await app.ready();
    rememberDatabaseEnv(dir, database.env);
    return new Harness(app, rt, dir, clock, config, database);
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.rt.close();
    await this.database.drop();
    forgetDatabaseEnv(this.dir);
    rmSync(this.dir, { recursive: true, force: true });
  }

  get db() {
    return this.rt.deps.db;
  }

  /** Listens on a free loopback port, for tests that need real connections; returns the base URL. */
  async listen(): Promise<string> {
    await this.app.listen({ host: "127.0.0.1", port: 0 });
    return `http://127.0.0.1:${(this.app.server.address() as AddressInfo).port}`;
  }

  inject(opts: InjectOptions) {
    return this.app.inject(opts);
  }

  /** Delivers every due job, then returns the messages written to the outbox so far. */
  async outbox(): Promise<Array<OutboundMessage & { sentAt: string }>> {
    await this.rt.worker.drain();
    const file = outboxFile(this.config);
    if (!existsSync(file)) return [];
    return readFileSync(file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  }

  /** The newest 6-digit code sent to a phone. */
  async lastCode(phone: string): Promise<string> {
    const msgs = (await this.outbox()).filter((m) => m.to === phone && m.template.startsWith("otp_"));
    // The code follows 验证码为 / "is"; application numbers in the same text hold digits too.
    const m = msgs.at(-1)?.text.match(/(?:验证码为|is) (\d{6})/);
    if (!m) throw new Error(`no code was sent to ${phone}`);
    return m[1]!;
  }

  async signInHolder(phone: string): Promise<Session> {
    const r1 = await this.inject({ method: "POST", url: "/api/v1/auth/otp", payload: { phone } });
    if (r1.statusCode !== 202) throw new Error(`otp request failed: ${r1.body}`);
    const code = await this.lastCode(phone);
    // Another code may follow within the test: step past the resend cooldown.
    this.clock.advance(61_000);
    const r2 = await this.inject({
      method: "POST",
      url: "/api/v1/auth/otp/verify",
      payload: { phone, code },
    });
    if (r2.statusCode !== 200) throw new Error(`otp verify failed: ${r2.body}`);
    const s = r2.json() as { token: string; csrfToken: string };
    return { token: s.token, csrfToken: s.csrfToken, headers: { authorization: `Bearer ${s.token}` } };
  }

  async signInStaff(username: keyof typeof STAFF_PASSWORDS): Promise<Session> {
    return this.#staffLogin(username, STAFF_PASSWORDS[username]);
  }

  /** An agent of one provider, added by the demo admin through the API, signed in. */
  async signInProviderAgent(username: string, providerId: string): Promise<Session> {
    const password = `${username}-password-1`;
    const added = await this.write(await this.signInStaff("admin"), "POST", "/api/v1/staff", {
      username,
      displayName: "机构业务员",
      role: "agent",
      password,
      providerId,
    });
    if (added.statusCode !== 201) throw new Error(`adding staff failed: ${added.body}`);
    return this.#staffLogin(username, password);
  }

  async #staffLogin(username: string, password: string): Promise<Session> {
    const r = await this.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { username, password },
    });
    if (r.statusCode !== 200) throw new Error(`staff login failed: ${r.body}`);
    const s = r.json() as { token: string; csrfToken: string };
    return { token: s.token, csrfToken: s.csrfToken, headers: { authorization: `Bearer ${s.token}` } };
  }

  /** A POST/PATCH with a fresh idempotency key. */
  write(
    session: Session | null,
    method: "POST" | "PATCH",
    url: string,
    payload: unknown = {},
    key = newKey(),
  ) {
    return this.inject({
      method,
      url,
      payload: payload as object,
      headers: { ...(session?.headers ?? {}), "idempotency-key": key },
    });
  }

  /** Uploads a tiny PNG for every document kind the application still misses. */
  async uploadMissingDocuments(session: Session, applicationId: string): Promise<string[]> {
    const list = await this.inject({
      method: "GET",
      url: `/api/v1/applications/${applicationId}/documents`,
      headers: session.headers,
    });
    const missing = (list.json() as { missing: string[] }).missing;
    for (const kind of missing) {
      const r = await this.inject({
        method: "POST",
        url: `/api/v1/applications/${applicationId}/documents?kind=${kind}`,
        payload: TINY_PNG,
        headers: { ...session.headers, "content-type": "image/png", "idempotency-key": newKey("doc") },
      });
      if (r.statusCode !== 201) throw new Error(`upload failed: ${r.body}`);
    }
    return missing;
  }

  /** Creates a draft with `fields`, uploads what is required, submits; returns the submitted application. */
  async submitted(session: Session, cardId: string, fields: Record<string, unknown> = {}) {
    const created = await this.write(session, "POST", "/api/v1/applications", { cardId, ...fields });
    if (created.statusCode !== 201) throw new Error(`create failed: ${created.body}`);
    const id = (created.json() as { application: { id: string } }).application.id;
    await this.uploadMissingDocuments(session, id);
    const r = await this.write(session, "POST", `/api/v1/applications/${id}/submit`);
    if (r.statusCode !== 200) throw new Error(`submit failed: ${r.body}`);
    return (r.json() as { application: { id: string; number: string; status: string } }).application;
  }

  /** A fingerprint of every row in every table, to prove a request changed nothing. */
  async fingerprint(): Promise<string> {
    const tables = [
      "providers",
      "holders",
      "cards",
      "accounts",
      "lock_ins",
      "bindings",
      "applications",
      "audit_events",
      "audit_head",
      "idempotency_records",
      "jobs",
      "staff",
    ];
    const parts: string[] = [];
    for (const t of tables) {
      const rows = await this.db
        .selectFrom(t as "cards")
        .selectAll()
        .execute();
      parts.push(`${t}:${JSON.stringify(rows)}`);
    }
    return parts.join("\n");
  }
}
