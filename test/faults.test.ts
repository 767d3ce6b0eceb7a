import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { type ServerProcess, staffToken, startServer } from "./support/server-process.js";

const CARDS = [
  "card_demo_sim_clean",
  "card_demo_esim_clean",
  "card_demo_debit_clean",
  "card_demo_transit_deposit",
  "card_demo_credit_primary",
  "card_demo_credit_supplementary",
  "card_demo_sim_handset",
  "card_demo_transit_online",
  "card_demo_sim_family_secondary",
  "card_demo_sim_minor",
  "card_demo_sim_passport",
  "card_demo_sim_contract",
];

async function bodyFor(base: string, token: string, cardId: string) {
  const r = await fetch(`${base}/api/v1/cards/${cardId}/eligibility`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const e = (await r.json()) as { bindings: Array<{ id: string }> };
  return {
    cardId,
    submit: true,
    backup: { status: "done" },
    balanceOption: "refund",
    unbinding: e.bindings.map((b) => ({ bindingId: b.id, state: "unbound" })),
  };
}

async function countOpen(base: string, token: string) {
  const r = await fetch(`${base}/api/v1/applications?limit=200&sort=created_at`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return ((await r.json()) as { items: Array<{ id: string; cardId: string; status: string }> }).items;
}

describe("faults", () => {
  let server: ServerProcess | undefined;
  let dir: string | undefined;
  let mounted: string | undefined;
  afterEach(async () => {
    await server?.kill("SIGKILL");
    server = undefined;
    if (mounted) execFileSync("umount", [mounted]);
    mounted = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("keeps every application answered 201 after a SIGKILL during a burst, none twice", async () => {
    dir = mkdtempSync(join(tmpdir(), "zhuxiao-kill-"));
    server = await startServer(dir);
    const token = await staffToken(server.base, dir, "agent");
    const bodies = await Promise.all(CARDS.map((c) => bodyFor(server!.base, token, c)));
    const answered: Array<{ status: number; id: string; cardId: string }> = [];
    const burst = bodies.flatMap((body) =>
      Array.from({ length: 8 }, (_, i) =>
        fetch(`${server!.base}/api/v1/applications`, {
          method: "POST",
          body: JSON.stringify(body),
          // Half the retries reuse a key, as a client retrying after a timeout would.
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${token}`,
            "idempotency-key": `burst-${body.cardId}-${i % 4}`,
          },
        })
          .then(async (r) => {
            const j = (await r.json()) as { application?: { id: string } };
            if (j.application) answered.push({ status: r.status, id: j.application.id, cardId: body.cardId });
          })
          .catch(() => undefined),
      ),
    );
    // Kill it mid-burst: once some answers are out and others are still in flight.
    const until = Date.now() + 5000;
    while (answered.length < 30 && Date.now() < until) await new Promise((r) => setTimeout(r, 2));
    await server.kill("SIGKILL");
    expect(answered.length).toBeLessThan(96);
    await Promise.all(burst);

    server = await startServer(dir);
    const token2 = await staffToken(server.base, dir, "agent");
    const apps = await countOpen(server.base, token2);
    for (const a of answered.filter((x) => x.status === 201 || x.status === 200)) {
      const found = apps.find((x) => x.id === a.id);
      expect(found, `answered ${a.status} for ${a.cardId} but missing after restart`).toBeDefined();
    }
    const open = apps.filter((a) => !["withdrawn", "rejected", "closed"].includes(a.status));
    expect(new Set(open.map((a) => a.cardId)).size).toBe(open.length);
    const admin = await staffToken(server.base, dir, "admin");
    const audit = await fetch(`${server.base}/api/v1/audit/verify`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(((await audit.json()) as { ok: boolean }).ok).toBe(true);
    process.stdout.write(
      `faults: ${answered.length} answered before SIGKILL; ${apps.length} applications after restart\n`,
    );
  }, 120_000);

  it("answers a corrupted body and a client that disconnects mid-request, and keeps serving", async () => {
    dir = mkdtempSync(join(tmpdir(), "zhuxiao-cut-"));
    server = await startServer(dir);
    const token = await staffToken(server.base, dir, "agent");
    const url = new URL(`${server.base}/api/v1/applications`);
    // A body cut off mid-stream: the client promises 500 bytes, sends 20 and hangs up.
    await new Promise<void>((resolve) => {
      const req = request({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": "500",
          authorization: `Bearer ${token}`,
          "idempotency-key": "cut-0000001",
        },
      });
      req.on("error", () => resolve());
      req.write('{"cardId": "card_de');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 100);
    });
    // Corrupted bytes in the middle of a JSON body.
    const corrupted = Buffer.concat([
      Buffer.from('{"cardId": "card_demo_debit_clean", "sub'),
      randomBytes(64),
      Buffer.from('": true}'),
    ]);
    const r = await fetch(url, {
      method: "POST",
      body: corrupted,
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${token}`,
        "idempotency-key": "corrupt-0001",
      },
    });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { code: string }).code).toBe("MALFORMED_JSON");
    const ok = await fetch(url, {
      method: "POST",
      body: JSON.stringify(await bodyFor(server.base, token, "card_demo_debit_clean")),
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${token}`,
        "idempotency-key": "after-cut-001",
      },
    });
    expect(ok.status).toBe(201);
  }, 60_000);

  it("refuses writes clearly when the data directory's disk is full, and resumes when space returns", async () => {
    dir = mkdtempSync(join(tmpdir(), "zhuxiao-full-"));
    mounted = join(dir, "data");
    mkdirSync(mounted);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=12m", "tmpfs", mounted]);
    server = await startServer(mounted);
    const token = await staffToken(server.base, mounted, "agent");
    const body = await bodyFor(server.base, token, "card_demo_debit_clean");
    const draft = await fetch(`${server.base}/api/v1/applications`, {
      method: "POST",
      body: JSON.stringify({ cardId: body.cardId }),
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${token}`,
        "idempotency-key": "full-draft-01",
      },
    });
    const appId = ((await draft.json()) as { application: { id: string } }).application.id;
    // Fill what is left of the disk.
    const filler = join(mounted, "filler");
    const free = Number(execFileSync("df", ["--output=avail", "-B1", mounted]).toString().split("\n")[1]);
    try {
      writeFileSync(filler, Buffer.alloc(Math.max(free - 4096, 0)));
    } catch {
      // ENOSPC while writing the filler: the disk is as full as it gets.
    }
    expect(statSync(filler).size).toBeGreaterThan(0);
    // A 1 MiB scan (a JPEG header and image data) cannot be stored on a full disk.
    const scan = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x04, 0x01, 0x02]),
      randomBytes(1024 * 1024),
    ]);
    const upload = (key: string) =>
      fetch(`${server!.base}/api/v1/applications/${appId}/documents?kind=id_front`, {
        method: "POST",
        body: scan,
        headers: { "content-type": "image/jpeg", authorization: `Bearer ${token}`, "idempotency-key": key },
      });
    const full = await upload("full-upload-01");
    const fullBody = (await full.json()) as { code?: string };
    expect([full.status, fullBody.code], server.output().slice(-1500)).toEqual([503, "SERVICE_UNAVAILABLE"]);
    const health = await fetch(`${server.base}/healthz`);
    expect(health.status).toBe(200);
    rmSync(filler);
    const again = await upload("full-upload-02");
    expect(again.status).toBe(201);
    const db = new Database(join(mounted, "zhuxiao.db"), { readonly: true });
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(
        (
          db.prepare("select count(*) as n from documents where application_id = ?").get(appId) as {
            n: number;
          }
        ).n,
      ).toBe(1);
    } finally {
      db.close();
    }
  }, 60_000);
});
