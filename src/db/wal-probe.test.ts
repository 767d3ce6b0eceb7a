import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { WalChangeProbe } from "./wal-probe.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function database(mode: "wal" | "delete") {
  const dir = mkdtempSync(join(tmpdir(), "zhuxiao-probe-"));
  dirs.push(dir);
  const file = join(dir, "db.sqlite");
  const a = new BetterSqlite3(file);
  a.pragma(`journal_mode = ${mode}`);
  a.exec("create table t (n integer)");
  return { file, a };
}

describe("WAL change probe", () => {
  it("changes with every commit of any connection, and only then", () => {
    const { file, a } = database("wal");
    const b = new BetterSqlite3(file);
    const probe = new WalChangeProbe(`${file}-shm`);
    try {
      const seen = new Set<string>();
      let mark = probe.read();
      expect(mark).not.toBeNull();
      seen.add(mark!);
      for (let i = 0; i < 20; i++) {
        expect(probe.read()).toBe(mark);
        // Reads by anyone change nothing.
        a.prepare("select count(*) from t").get();
        b.prepare("select count(*) from t").get();
        expect(probe.read()).toBe(mark);
        (i % 2 === 0 ? a : b).prepare("insert into t values (?)").run(i);
        const next = probe.read()!;
        expect(seen.has(next), `commit ${i} left the header as before`).toBe(false);
        seen.add(next);
        mark = next;
      }
      // A transaction rolled back commits nothing.
      b.exec("begin immediate; insert into t values (99); rollback");
      expect(probe.read()).toBe(mark);
      // After a checkpoint restarts the log, commits still move it.
      a.pragma("wal_checkpoint(TRUNCATE)");
      const afterCheckpoint = probe.read()!;
      b.prepare("insert into t values (100)").run();
      expect(probe.read()).not.toBe(afterCheckpoint);
    } finally {
      probe.close();
      b.close();
      a.close();
    }
  });

  it("answers null without a wal-index (not in WAL mode), so the caller asks SQLite", () => {
    const { file, a } = database("delete");
    const probe = new WalChangeProbe(`${file}-shm`);
    expect(probe.read()).toBeNull();
    a.close();
  });
});
