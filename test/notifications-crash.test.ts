/**
 * "A process killed between commit and delivery delivers exactly once after restart": real child
 * processes, SIGKILL, a real SMTP server on loopback, and the same data directory throughout.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { seedDemo } from "../src/demo/seed.js";
import { verifyReceipt } from "../src/receipts/verify.js";
import { openRuntime, outboxFile } from "../src/runtime.js";
import { type SmtpSink, startSmtpSink } from "./support/smtp-sink.js";

const DAY = "2026-11-24T02:00:00Z";
/** Past the worker's five-minute lock: a job held by a dead worker is taken over. */
const LATER = "2026-11-24T02:06:00Z";

interface Child {
  proc: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
  waitFor(prefix: string): Promise<string>;
}

function child(mode: string, env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ["--import", "tsx", "test/support/notify-child.ts", mode], {
    env: {
      PATH: process.env.PATH ?? "",
      LOG_LEVEL: "silent",
      ZHUXIAO_WORKER: "false",
      ZHUXIAO_SIM_LATENCY_MS: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const waiters: Array<{ prefix: string; resolve: (l: string) => void }> = [];
  let buf = "";
  proc.stdout?.on("data", (c: Buffer) => {
    buf += c.toString();
    for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(line);
      for (const w of waiters.filter((x) => line.startsWith(x.prefix))) w.resolve(line);
    }
  });
  let stderr = "";
  proc.stderr?.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  const timer = setTimeout(() => proc.kill("SIGKILL"), 45_000);
  void exited.then(() => clearTimeout(timer));
  return {
    proc,
    lines,
    exited,
    waitFor: (prefix) =>
      new Promise((resolve, reject) => {
        const seen = lines.find((l) => l.startsWith(prefix));
        if (seen) return resolve(seen);
        waiters.push({ prefix, resolve });
        void exited.then((code) => reject(new Error(`child exited (${code}) before "${prefix}": ${stderr}`)));
      }),
  };
}

async function run(mode: string, env: Record<string, string>): Promise<string[]> {
  const c = child(mode, env);
  const code = await c.exited;
  expect(code, c.lines.join("\n")).toBe(0);
  return c.lines;
}

describe("a worker killed between commit and delivery delivers exactly once after restart", () => {
  let dir: string;
  let sink: SmtpSink;
  let env: Record<string, string>;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "zhuxiao-crash-"));
    sink = await startSmtpSink();
    env = { ZHUXIAO_DATA_DIR: dir, ZHUXIAO_SMTP_URL: sink.url };
    // The data directory as a server leaves it: demo data, and a holder who wants SMS and e-mail.
    const rt = await openRuntime(loadConfig({ ...env, LOG_LEVEL: "silent" }), { startWorker: false });
    await seedDemo(rt.deps);
    await rt.deps.db
      .updateTable("holders")
      .set({ notifyChannels: "sms,email", email: "zhang.wei@example.com" })
      .where("id", "=", "hld_demo_zhang_wei")
      .execute();
    await rt.close();
  });
  afterEach(async () => {
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function inspect(applicationId: string) {
    const rt = await openRuntime(loadConfig({ ...env, LOG_LEVEL: "silent" }), { startWorker: false });
    try {
      const db = rt.deps.db;
      const jobs = await db
        .selectFrom("jobs")
        .selectAll()
        .where("dedupeKey", "like", `%${applicationId}%`)
        .execute();
      const events = await db
        .selectFrom("auditEvents")
        .select(["action", "reason"])
        .where("applicationId", "=", applicationId)
        .where("action", "like", "notification.%")
        .execute();
      const file = outboxFile(loadConfig(env));
      const sms = existsSync(file)
        ? readFileSync(file, "utf8")
            .split("\n")
            .filter(Boolean)
            .map((l) => JSON.parse(l) as { template: string })
            .filter((m) => m.template === "submitted")
        : [];
      return { jobs, events, sms, jwks: rt.deps.signingKeys.jwks() };
    } finally {
      await rt.close();
    }
  }

  it("after the submission committed and before any delivery", async () => {
    const submitter = child("submit", { ...env, CHILD_HANG: "1", CHILD_NOW: DAY });
    const appId = (await submitter.waitFor("committed")).split(" ")[1]!;
    submitter.proc.kill("SIGKILL");
    expect(await submitter.exited).toBeNull();
    const before = await inspect(appId);
    expect(before.jobs.map((j) => [j.task, j.status]).sort()).toEqual([
      ["notify.email", "pending"],
      ["notify.sms", "pending"],
    ]);
    expect(sink.received).toHaveLength(0);

    await run("work", { ...env, CHILD_NOW: DAY });
    await run("work", { ...env, CHILD_NOW: LATER });

    expect(sink.received).toHaveLength(1);
    const pdf = sink.received[0]!.attachments[0]!;
    const after = await inspect(appId);
    expect(await verifyReceipt(pdf.content, after.jwks)).toMatchObject({ valid: true });
    expect(after.sms).toHaveLength(1);
    expect(after.jobs.every((j) => j.status === "done")).toBe(true);
    expect(after.events.map((e) => `${e.action}:${e.reason}`).sort()).toEqual([
      "notification.delivered:email",
      "notification.delivered:sms",
    ]);
  }, 90_000);

  it("in the middle of the SMTP conversation, before the message was sent", async () => {
    const appId = (await run("submit", { ...env, CHILD_NOW: DAY }))[0]!.split(" ")[1]!;
    const worker = child("work", { ...env, CHILD_NOW: DAY });
    // Killed once the job is claimed, the PDF rendered and the SMTP conversation begun.
    sink.onMailFrom = async () => {
      worker.proc.kill("SIGKILL");
      await worker.exited;
    };
    expect(await worker.exited).toBeNull();
    expect(sink.received).toHaveLength(0);
    const mid = await inspect(appId);
    expect(mid.jobs.find((j) => j.task === "notify.email")).toMatchObject({ status: "running", attempts: 1 });

    sink.onMailFrom = null;
    await run("work", { ...env, CHILD_NOW: LATER });
    await run("work", { ...env, CHILD_NOW: LATER });
    expect(sink.received).toHaveLength(1);
    const after = await inspect(appId);
    expect(after.jobs.find((j) => j.task === "notify.email")).toMatchObject({ status: "done", attempts: 2 });
    expect(after.events.filter((e) => e.reason === "email")).toHaveLength(1);
  }, 90_000);

  it("after the server accepted the message but before the delivery was recorded: the resend carries the same Message-ID", async () => {
    const appId = (await run("submit", { ...env, CHILD_NOW: DAY }))[0]!.split(" ")[1]!;
    const crashing = child("work", { ...env, CHILD_NOW: DAY, CHILD_CRASH_AFTER_SEND: "1" });
    expect(await crashing.exited).toBeNull();
    expect(sink.received).toHaveLength(1);
    expect((await inspect(appId)).events.filter((e) => e.reason === "email")).toHaveLength(0);

    await run("work", { ...env, CHILD_NOW: LATER });
    await run("work", { ...env, CHILD_NOW: LATER });
    // SMTP cannot be asked whether a message arrived: the one unrecorded send is repeated, as the
    // same message (one Message-ID), which mail stores and clients show once. Nothing else repeats.
    expect(sink.received).toHaveLength(2);
    expect(new Set(sink.received.map((m) => m.messageId)).size).toBe(1);
    const after = await inspect(appId);
    expect(after.sms).toHaveLength(1);
    expect(after.events.map((e) => `${e.action}:${e.reason}`).sort()).toEqual([
      "notification.delivered:email",
      "notification.delivered:sms",
    ]);
  }, 90_000);
});
