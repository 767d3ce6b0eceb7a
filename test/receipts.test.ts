import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "../src/receipts/canonical-json.js";
import { zhuxiao } from "./support/cli.js";
import { D } from "./support/demo.js";
import { Harness, newKey, type Session } from "./support/harness.js";

/** Flips one base64url character in the middle of the payload. */
function changedByte(jws: string): string {
  const [h, p, s] = jws.split(".") as [string, string, string];
  const i = Math.floor(p.length / 2);
  return `${h}.${p.slice(0, i)}${p[i] === "A" ? "B" : "A"}${p.slice(i + 1)}.${s}`;
}

async function approvedSim(h: Harness, holder: Session): Promise<string> {
  const e = await h.inject({
    method: "GET",
    url: `/api/v1/cards/${D.cleanSim.card}/eligibility`,
    headers: holder.headers,
  });
  const app = await h.submitted(holder, D.cleanSim.card, {
    backup: { status: "done" },
    unbinding: (e.json().bindings as Array<{ id: string }>).map((b) => ({
      bindingId: b.id,
      state: "unbound",
    })),
    balanceOption: "refund",
  });
  const agent = await h.signInStaff("agent");
  expect((await h.write(agent, "POST", `/api/v1/applications/${app.id}/approve`)).statusCode).toBe(200);
  return app.id;
}

describe("receipts and certificates", () => {
  let h: Harness;
  let scratch: string;
  let holder: Session;
  let agent: Session;
  let appId: string;
  let number: string;
  beforeAll(async () => {
    h = await Harness.start();
    scratch = mkdtempSync(join(tmpdir(), "zhuxiao-receipts-"));
    holder = await h.signInHolder(D.cleanDebit.phone);
    agent = await h.signInStaff("agent");
    const app = await h.submitted(holder, D.cleanDebit.card, { backup: { status: "done" } });
    appId = app.id;
    number = app.number;
  });
  afterAll(async () => {
    await h.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("issues one receipt in the submission's transaction, pinned to the audit chain", async () => {
    const r = await h.inject({
      method: "GET",
      url: `/api/v1/applications/${appId}/receipt`,
      headers: holder.headers,
    });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({
      kind: "receipt",
      applicationId: appId,
      number,
      pdf: `/api/v1/applications/${appId}/receipt.pdf`,
    });
    expect(body.verifyUrl).toBe(`http://127.0.0.1:8080/verify#${body.jws}`);
    expect(body.payload).toMatchObject({
      v: 1,
      kind: "receipt",
      application: { number, channel: "online", requestedDate: "2026-11-24" },
      provider: { code: "demo-bank", nameZh: "示例银行", nameEn: "Demo Bank" },
      card: { kind: "bank_debit", identifiers: { cardNumber: "6234***********2755" } },
      holder: { name: "张*", idNumber: "110105********0012" },
      outcome: null,
    });
    // The submission's own audit event links to the head the receipt was signed over.
    const submit = await h.db
      .selectFrom("auditEvents")
      .selectAll()
      .where("applicationId", "=", appId)
      .where("action", "=", "application.submit")
      .executeTakeFirstOrThrow();
    expect(body.payload.audit).toEqual({ seq: Number(submit.seq) - 1, hash: submit.prevHash });
    const rows = await h.db.selectFrom("receipts").selectAll().where("applicationId", "=", appId).execute();
    expect(rows.map((x) => x.kind)).toEqual(["receipt"]);
  });

  it("lets the holder and staff read it, nobody else, and has no certificate before completion", async () => {
    expect(
      (
        await h.inject({
          method: "GET",
          url: `/api/v1/applications/${appId}/receipt.pdf`,
          headers: agent.headers,
        })
      ).statusCode,
    ).toBe(200);
    const other = await h.signInHolder(D.arrears.phone);
    const r = await h.inject({
      method: "GET",
      url: `/api/v1/applications/${appId}/receipt`,
      headers: other.headers,
    });
    expect(r.statusCode).toBe(404);
    const c = await h.inject({
      method: "GET",
      url: `/api/v1/applications/${appId}/certificate`,
      headers: holder.headers,
    });
    expect(c.statusCode).toBe(404);
    expect(c.json().code).toBe("RECEIPT_NOT_FOUND");
    const draft = await h.write(holder, "POST", "/api/v1/applications", {
      cardId: "card_demo_transit_deposit",
    });
    const d = await h.inject({
      method: "GET",
      url: `/api/v1/applications/${draft.json().application.id}/receipt`,
      headers: holder.headers,
    });
    expect(d.json().code).toBe("RECEIPT_NOT_FOUND");
    // A submission that fails leaves no receipt behind.
    const refused = await h.write(
      holder,
      "POST",
      `/api/v1/applications/${draft.json().application.id}/submit`,
    );
    expect(refused.statusCode).toBe(422);
    expect(
      await h.db
        .selectFrom("receipts")
        .select("id")
        .where("applicationId", "=", draft.json().application.id)
        .execute(),
    ).toEqual([]);
  });

  it("verifies online: the JWS, a bare JWS, the PDF; a changed byte or an edited PDF is invalid", async () => {
    const { jws } = (
      await h.inject({ method: "GET", url: `/api/v1/applications/${appId}/receipt`, headers: holder.headers })
    ).json();
    const verify = (payload: string | Buffer, type = "application/json") =>
      h.inject({
        method: "POST",
        url: "/api/v1/receipts/verify",
        payload,
        headers: { "content-type": type },
      });

    const ok = await verify(JSON.stringify({ jws }));
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ valid: true, onRecord: true, payload: { application: { number } } });
    expect((await verify(jws, "application/jose")).json()).toMatchObject({ valid: true });

    const bad = await verify(JSON.stringify({ jws: changedByte(jws) }));
    expect(bad.statusCode).toBe(200);
    expect(bad.json()).toMatchObject({ valid: false, reason: "bad_signature" });

    const pdf = (
      await h.inject({
        method: "GET",
        url: `/api/v1/applications/${appId}/receipt.pdf`,
        headers: holder.headers,
      })
    ).rawPayload;
    expect((await verify(pdf, "application/pdf")).json()).toMatchObject({ valid: true, onRecord: true });
    const [hd, p, s] = jws.split(".") as [string, string, string];
    const forged = JSON.parse(Buffer.from(p, "base64url").toString());
    forged.holder.name = "王*";
    const edited = Buffer.from(
      pdf
        .toString("latin1")
        .replace(jws, `${hd}.${Buffer.from(canonicalJson(forged)).toString("base64url")}.${s}`),
      "latin1",
    );
    expect((await verify(edited, "application/pdf")).json()).toMatchObject({
      valid: false,
      reason: "bad_signature",
    });
    expect((await verify(JSON.stringify({ jws: "not a jws" }))).json()).toMatchObject({
      valid: false,
      reason: "malformed",
    });
    expect((await verify(JSON.stringify({ nope: 1 }))).statusCode).toBe(400);
    const tooBig = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(2 * 1024 * 1024 + 10)]);
    expect((await verify(tooBig, "application/pdf")).statusCode).toBe(413);
  });

  it("verifies offline with the CLI, from the PDF, with only the published key set", async () => {
    const pdf = (
      await h.inject({
        method: "GET",
        url: `/api/v1/applications/${appId}/receipt.pdf`,
        headers: holder.headers,
      })
    ).rawPayload;
    const jwks = (await h.inject({ method: "GET", url: "/.well-known/jwks.json" })).body;
    const pdfFile = join(scratch, "receipt.pdf");
    const jwksFile = join(scratch, "jwks.json");
    writeFileSync(pdfFile, pdf);
    writeFileSync(jwksFile, jwks);
    // A data directory of its own: nothing but the file and the key set.
    const elsewhere = { ZHUXIAO_DATA_DIR: join(scratch, "elsewhere") };
    const ok = zhuxiao(["receipt", "verify", pdfFile, "--jwks", jwksFile], elsewhere);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("VALID / 有效");
    expect(ok.stdout).toContain(number);
    // The QR code's URL works as well as the PDF; the data directory's own keys as well as --jwks.
    const { jws } = (
      await h.inject({ method: "GET", url: `/api/v1/applications/${appId}/receipt`, headers: holder.headers })
    ).json();
    const urlFile = join(scratch, "qr.txt");
    writeFileSync(urlFile, `http://127.0.0.1:8080/verify#${jws}\n`);
    expect(zhuxiao(["receipt", "verify", urlFile], { ZHUXIAO_DATA_DIR: h.dir }).code).toBe(0);

    writeFileSync(urlFile, changedByte(jws));
    const bad = zhuxiao(["receipt", "verify", urlFile, "--jwks", jwksFile, "--json"], elsewhere);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ valid: false, reason: "bad_signature" });
  });

  it("keeps receipts signed before `zhuxiao keys rotate` valid, and signs new ones with the new key", async () => {
    const first = (
      await h.inject({ method: "GET", url: `/api/v1/applications/${appId}/receipt`, headers: holder.headers })
    ).json();
    const rotated = zhuxiao(["keys", "rotate"], { ZHUXIAO_DATA_DIR: h.dir });
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toContain(`retired ${first.kid}`);
    const sim = await h.signInHolder(D.cleanSim.phone);
    const second = await approvedSim(h, sim);
    const r2 = (
      await h.inject({ method: "GET", url: `/api/v1/applications/${second}/receipt`, headers: sim.headers })
    ).json();
    expect(r2.kid).not.toBe(first.kid);
    const jwks = (await h.inject({ method: "GET", url: "/.well-known/jwks.json" })).json();
    expect(jwks.keys.map((k: { kid: string }) => k.kid).sort()).toEqual([first.kid, r2.kid].sort());
    for (const jws of [first.jws, r2.jws]) {
      const v = await h.inject({ method: "POST", url: "/api/v1/receipts/verify", payload: { jws } });
      expect(v.json()).toMatchObject({ valid: true });
    }
    const list = zhuxiao(["keys", "list", "--json"], { ZHUXIAO_DATA_DIR: h.dir });
    expect(JSON.parse(list.stdout)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kid: first.kid, active: false, canSign: false }),
        expect.objectContaining({ kid: r2.kid, active: true, canSign: true }),
      ]),
    );
  });

  it("issues the certificate when processing completes, with the money settled and how the card ended", async () => {
    const sim = await h.signInHolder(D.cleanSim.phone);
    const { id } = await h.db
      .selectFrom("applications")
      .select("id")
      .where("cardId", "=", D.cleanSim.card)
      .executeTakeFirstOrThrow();
    await h.rt.worker.drain();
    const status = await h.db
      .selectFrom("applications")
      .select("status")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(status.status).toBe("completed");
    const c = await h.inject({
      method: "GET",
      url: `/api/v1/applications/${id}/certificate`,
      headers: sim.headers,
    });
    expect(c.statusCode, c.body).toBe(200);
    const ledger = await h.db
      .selectFrom("ledgerEntries")
      .select(["kind", "amountFen"])
      .where("applicationId", "=", id)
      .execute();
    expect(c.json().payload).toMatchObject({
      kind: "certificate",
      money: { settled: true, balanceOption: "refund" },
      outcome: { cardStatus: "cancelled", numberStatus: "quarantined" },
    });
    expect(c.json().payload.money.items).toEqual(
      ledger
        .map((l) => ({ kind: l.kind, amountFen: Number(l.amountFen) }))
        .sort((a, b) => (a.kind < b.kind ? -1 : 1)),
    );
    expect(ledger.length).toBeGreaterThan(0);

    const pdf = (
      await h.inject({
        method: "GET",
        url: `/api/v1/applications/${id}/certificate.pdf`,
        headers: agent.headers,
      })
    ).rawPayload;
    const file = join(scratch, "certificate.pdf");
    writeFileSync(file, pdf);
    const text = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { timeout: 20_000 }).toString(
      "utf8",
    );
    for (const s of [
      "注销证明",
      "Certificate of Cancellation",
      "已注销 / Cancelled",
      "冷冻期 / In quarantine",
      "已结算款项",
      "Money settled",
      "138****8000",
    ]) {
      expect(text, s).toContain(s);
    }
    mkdirSync("test-results/receipts", { recursive: true });
    execFileSync(
      "pdftoppm",
      ["-png", "-r", "110", "-singlefile", file, "test-results/receipts/certificate-demo-sim"],
      {
        timeout: 30_000,
      },
    );

    const shown = zhuxiao(
      ["receipt", "show", c.json().number, "--kind", "certificate", "--out", join(scratch, "shown.pdf")],
      {
        ZHUXIAO_DATA_DIR: h.dir,
      },
    );
    expect(shown.code, shown.stderr).toBe(0);
    expect(
      zhuxiao(["receipt", "verify", join(scratch, "shown.pdf")], { ZHUXIAO_DATA_DIR: h.dir }).stdout,
    ).toContain("certificate / 注销证明");
  });

  it("serves the verification page with its script from 'self' and no inline script", async () => {
    const page = await h.inject({ method: "GET", url: "/verify" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(page.body).toContain('<script src="/verify.js" defer></script>');
    expect(page.body.match(/<script/g)).toHaveLength(1);
    expect(page.body).toContain("核验回执");
    expect(page.body).toContain("Verify a receipt");
    const js = await h.inject({ method: "GET", url: "/verify.js" });
    expect(js.headers["content-type"]).toContain("javascript");
    expect(js.body).toContain('fetch("/api/v1/receipts/verify"');
    expect(js.body).toContain("location.hash");
  });

  it("replays a submission without issuing a second receipt", async () => {
    const transit = await h.signInHolder("19857121608");
    const created = await h.write(transit, "POST", "/api/v1/applications", {
      cardId: "card_demo_transit_online",
      backup: { status: "done" },
      balanceOption: "refund",
    });
    const id = created.json().application.id as string;
    await h.uploadMissingDocuments(transit, id);
    const key = newKey("submit");
    const a = await h.write(transit, "POST", `/api/v1/applications/${id}/submit`, {}, key);
    const b = await h.write(transit, "POST", `/api/v1/applications/${id}/submit`, {}, key);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(b.headers["idempotent-replayed"]).toBe("true");
    expect(
      await h.db.selectFrom("receipts").select("id").where("applicationId", "=", id).execute(),
    ).toHaveLength(1);
  });
});
