import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zhuxiao } from "../support/cli.js";
import { type ServerProcess, staffToken, startServer } from "../support/server-process.js";

const run = promisify(execFile);

async function backupAsync(dataDir: string, out: string) {
  return run(process.execPath, ["--import", "tsx", "src/cli/main.ts", "backup", "--out", out, "--json"], {
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "silent", ZHUXIAO_DATA_DIR: dataDir },
    timeout: 60_000,
  });
}

describe("zhuxiao backup", () => {
  let dir: string;
  let server: ServerProcess;
  let token: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "zhuxiao-backup-"));
    server = await startServer(dir, { ZHUXIAO_WORKER: "false" });
    token = await staffToken(server.base, dir, "agent");
  });
  afterAll(async () => {
    await server.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  function create(cardId: string, key: string) {
    return fetch(`${server.base}/api/v1/applications`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${token}`,
        "idempotency-key": key,
      },
      body: JSON.stringify({ cardId, submit: true, backup: { status: "done" } }),
    });
  }

  it("copies the live database while the server writes, and the copy is whole and verified", async () => {
    const r = await create("card_demo_debit_clean", "backup-test-debit-1");
    expect(r.status).toBe(201);
    const { application } = (await r.json()) as { application: { id: string } };
    const out = join(dir, "copies", "first.db");

    // Writes carry on while the copy is taken: the server is not stopped for a backup.
    const [backup, during] = await Promise.all([
      backupAsync(dir, out),
      create("card_demo_esim_clean", "backup-test-esim-1"),
    ]);
    expect(during.status).toBeLessThan(500);
    const result = JSON.parse(backup.stdout) as { file: string; rows: { applications: number } };
    expect(result.file).toBe(out);
    expect(result.rows.applications).toBeGreaterThanOrEqual(2);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(existsSync(`${out}.partial`)).toBe(false);

    const copy = new Database(out, { readonly: true, fileMustExist: true });
    try {
      expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
      // One file, no WAL beside it: copying the file copies the whole backup.
      expect(copy.pragma("journal_mode", { simple: true })).toBe("delete");
      const row = copy.prepare("select status from applications where id = ?").get(application.id);
      expect(row).toEqual({ status: "submitted" });
      const staff = copy.prepare("select count(*) as n from staff").get() as { n: number };
      expect(staff.n).toBe(3);
    } finally {
      copy.close();
    }
  });

  it("never overwrites an existing file", () => {
    const out = join(dir, "copies", "again.db");
    expect(zhuxiao(["backup", "--out", out], { ZHUXIAO_DATA_DIR: dir }).code).toBe(0);
    const second = zhuxiao(["backup", "--out", out], { ZHUXIAO_DATA_DIR: dir });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain("exists");
  });

  it("explains pg_dump instead when DATABASE_URL is PostgreSQL", () => {
    const r = zhuxiao(["backup"], {
      ZHUXIAO_DATA_DIR: dir,
      DATABASE_URL: "postgres://zhuxiao@127.0.0.1:5432/zhuxiao",
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("pg_dump");
    expect(r.stderr).toContain("copies the SQLite database only");
  });
});
