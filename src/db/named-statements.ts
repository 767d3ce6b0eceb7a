/**
 * Named (server-side prepared) statements on PostgreSQL. An unnamed statement is parsed, analysed
 * and planned by PostgreSQL every time it runs: for the primary-key reads of a submission that is
 * most of what the server spends on them. A statement text marked here runs under a name instead,
 * so each connection parses it once and PostgreSQL may keep a generic plan for it.
 *
 * Only texts that are marked get names: the statements built once (src/db/prepared.ts) and a few
 * hot ones whose text is fixed (the advisory locks, the job dispatch). Ad hoc queries stay unnamed,
 * so a query whose best plan depends on its values (a queue page filtered by status) keeps a plan
 * made for those values, and lists of varying length do not pile up statements on the server.
 *
 * A named `SELECT *` stops working when a migration adds a column while it is prepared ("cached
 * plan must not change result type", SQLSTATE 0A000). After that error every connection prepares
 * its statements again under new names (a new generation); a statement outside a transaction is
 * then run again at once, and a transaction is retried whole (src/db/postgres.ts).
 */

/** More names than hot statements exist; past it, new texts stay unnamed. */
const MAX_NAMED = 1000;

const names = new Map<string, number>();
let generation = 0;

/** Runs `text` under a name from now on (idempotent). */
export function nameStatement(text: string): void {
  if (!names.has(text) && names.size < MAX_NAMED) names.set(text, names.size);
}

/** The name `text` runs under in this generation, or undefined for an unnamed statement. */
export function statementName(text: string): string | undefined {
  const n = names.get(text);
  return n === undefined ? undefined : `zx${generation}_${n}`;
}

/** True for the error of a prepared statement whose result columns changed under it. */
export function isStalePreparedStatement(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  return e?.code === "0A000" && (e.message ?? "").includes("cached plan must not change result type");
}

/** Every connection prepares its named statements again, under new names. */
export function renameStatements(): void {
  generation++;
}
