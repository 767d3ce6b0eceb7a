/**
 * Named statements on PostgreSQL (src/db/named-statements.ts): the statements built once run
 * under a name, ad hoc queries do not, and a migration that changes a named `SELECT *`'s columns
 * under a running process costs one retry, not an error.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbHandle, inTransaction } from "../../src/db/connect.js";
import { findHolder } from "../../src/db/holders-repository.js";
import { openPostgres } from "../../src/db/postgres.js";
import { Harness } from "../support/harness.js";

/** 张伟, of the demo data. */
const HOLDER = "hld_demo_zhang_wei";

describe("named statements on PostgreSQL", () => {
  let h: Harness;
  let one: DbHandle;
  beforeAll(async () => {
    h = await Harness.start();
    // One connection, so that the statement prepared is the one run again.
    one = openPostgres(h.config.databaseUrl!, { poolMax: 1 });
  });
  afterAll(async () => {
    await one.close();
    await h.close();
  });

  const prepared = async (text: RegExp) => {
    const r = await sql<{
      name: string;
      statement: string;
    }>`select name, statement from pg_prepared_statements`.execute(one.db);
    return r.rows.filter((s) => text.test(s.statement));
  };

  it("prepares the statements built once under a name, and leaves ad hoc ones unnamed", async () => {
    const holder = await findHolder(one.db, HOLDER);
    expect(holder?.id).toBe(HOLDER);
    const named = await prepared(/^select \* from "holders" where "id" = \$1$/);
    expect(named).toHaveLength(1);
    expect(named[0]!.name).toMatch(/^zx\d+_\d+$/);

    await one.db.selectFrom("holders").select("id").where("phone", "=", "13800000000").execute();
    expect(await prepared(/"phone" = \$1/)).toHaveLength(0);
  });

  it("prepares again when a migration changes a named statement's columns, in and out of transactions", async () => {
    await findHolder(one.db, HOLDER);
    await sql`alter table holders add column extra_one text`.execute(h.db);
    // Outside a transaction the statement runs again at once, under a new name.
    const again = await findHolder(one.db, HOLDER);
    expect(again).toMatchObject({ id: HOLDER, extraOne: null });

    await sql`alter table holders add column extra_two text`.execute(h.db);
    // In a transaction the error aborts it; the transaction is run again whole.
    let attempts = 0;
    const inside = await inTransaction(one.db, async (tx) => {
      attempts++;
      return findHolder(tx, HOLDER);
    });
    expect(inside).toMatchObject({ id: HOLDER, extraTwo: null });
    expect(attempts).toBe(2);
    await sql`alter table holders drop column extra_one, drop column extra_two`.execute(h.db);
  });
});
