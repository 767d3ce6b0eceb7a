import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { TurnChangeMark, WalChangeProbe } from "./wal-probe.js";

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

describe("change mark read once per turn", () => {
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

  it("sees this process's commits at once and another's from the next turn on", async () => {
    const { file, a } = database("wal");
    const other = new BetterSqlite3(file);
    const probe = new WalChangeProbe(`${file}-shm`);
    let headerReads = 0;
    let commits = 0;
    const mark = new TurnChangeMark(
      () => {
        headerReads++;
        return probe.read();
      },
      () => commits,
      () => "asked SQLite",
    );
    try {
      const m0 = mark.read();
      expect(m0).not.toBe("asked SQLite");
      for (let i = 0; i < 5; i++) expect(mark.read()).toBe(m0);
      expect(headerReads).toBe(1);

      // Another process commits: unseen for the rest of this turn, seen in the next.
      other.prepare("insert into t values (1)").run();
      expect(mark.read()).toBe(m0);
      await nextTurn();
      const m1 = mark.read();
      expect(m1).not.toBe(m0);
      expect(headerReads).toBe(2);

      // This process commits: seen at once, in the same turn, without reading the header again.
      a.prepare("insert into t values (2)").run();
      commits++;
      const m2 = mark.read();
      expect(m2).not.toBe(m1);
      expect(headerReads).toBe(2);
      expect(mark.read()).toBe(m2);

      // Nothing committed: the next turn's mark is the same value.
      await nextTurn();
      await nextTurn();
      expect(mark.read()).not.toBe(m2); // the header now shows the commit counted above
      const m3 = mark.read();
      await nextTurn();
      expect(mark.read()).toBe(m3);
    } finally {
      probe.close();
      other.close();
      a.close();
    }
  });

  it("asks SQLite every time when the header cannot be read", async () => {
    let asked = 0;
    const mark = new TurnChangeMark(
      () => null,
      () => 0,
      () => `v${++asked}`,
    );
    expect(mark.read()).toBe("v1");
    expect(mark.read()).toBe("v2");
    await nextTurn();
    expect(mark.read()).toBe("v3");
  });
});
