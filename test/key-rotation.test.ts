import { spawnSync } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPiiVault, MASTER_KID } from "../src/adapters/pii-vault.js";
import { loadDataKeys, loadMasterSecret } from "../src/adapters/secret.js";
import { verifyAuditChain } from "../src/db/audit-repository.js";
import { TRANSIT_ONLINE } from "./support/demo.js";
import { Harness } from "./support/harness.js";

describe("rotating the personal-data key", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
    const holder = await h.signInHolder(TRANSIT_ONLINE.phone);
    const app = await h.write(holder, "POST", "/api/v1/applications", { cardId: TRANSIT_ONLINE.card });
    await h.uploadMissingDocuments(holder, app.json().application.id);
  });
  afterEach(() => h.close());

  it("re-seals every value under a new key that the old key cannot open, and keeps look-ups working", async () => {
    const before = await h.db.selectFrom("holders").select(["id", "nameEnc", "idNumberHash"]).execute();
    const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "keys", "rotate-data"], {
      env: { ...process.env, ZHUXIAO_DATA_DIR: h.dir, LOG_LEVEL: "silent" },
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/re-sealed 7 holders, \d+ cards, 0 staff secrets, 1 documents/);

    const keys = loadDataKeys(h.config);
    expect(keys.currentKid).toBeDefined();
    expect(keys.currentKid).not.toBe(MASTER_KID);
    const rotated = createPiiVault({ master: loadMasterSecret(h.config), ...keys });
    const oldOnly = createPiiVault(loadMasterSecret(h.config));
    const after = await h.db.selectFrom("holders").select(["id", "nameEnc", "idNumberHash"]).execute();
    for (const row of after) {
      const was = before.find((b) => b.id === row.id)!;
      expect(row.nameEnc).not.toBe(was.nameEnc);
      expect(rotated.decrypt(row.nameEnc)).toBe(oldOnly.decrypt(was.nameEnc));
      expect(() => oldOnly.decrypt(row.nameEnc)).toThrow(/data key .* is not available/);
      expect(row.idNumberHash).toBe(was.idNumberHash);
    }
    const doc = await h.db.selectFrom("documents").select("dataSealed").executeTakeFirstOrThrow();
    expect(rotated.kidOf(Buffer.from(doc.dataSealed))).toBe(keys.currentKid);
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true });
  });
});
