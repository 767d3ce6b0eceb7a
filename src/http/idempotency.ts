/**
 * Exactly-once for mutating endpoints: the Idempotency-Key, a hash of the request and the response
 * are stored in the same transaction as the change itself. A replay returns the stored response;
 * the same key with a different request is a 409; a failure stores nothing, so a retry runs again.
 */
import { createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { AppDeps } from "../app/context.js";
import { AppError } from "../app/errors.js";
import { heldLocks, inTransaction, lockScopeAndRead, writeAtCommit } from "../db/connect.js";
import { PreparedByShape, prepared, together } from "../db/prepared.js";
import type { IdempotencyRecordsTable } from "../db/schema.js";

const recordOf = prepared<{ scope: string; key: string }>()((db, a) =>
  db.selectFrom("idempotencyRecords").selectAll().where("scope", "=", a.scope).where("key", "=", a.key),
);
const insertRecord = new PreparedByShape<Record<string, never>, unknown>((db, _a, row) =>
  db.insertInto("idempotencyRecords").values(row as unknown as IdempotencyRecordsTable),
);

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,128}$/;

export interface StoredResponse {
  status: number;
  body: unknown;
}

function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
}

export function requestHash(req: FastifyRequest): string {
  const path = req.url.split("?")[0];
  return createHash("sha256")
    .update(`${req.method} ${path}\n${canonical(req.body ?? null)}`)
    .digest("hex");
}

/** The lock scope of one idempotency key. */
export function idempotencyLockKey(scope: string, key: string): string {
  return `idempotency:${scope}:${key}`;
}

export function idempotencyKey(req: FastifyRequest): string {
  const raw = req.headers["idempotency-key"];
  if (raw === undefined) throw new AppError("IDEMPOTENCY_KEY_REQUIRED");
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!key || !KEY_PATTERN.test(key)) throw new AppError("IDEMPOTENCY_KEY_INVALID");
  return key;
}

export interface IdempotentOptions {
  /** A key from the body instead of the header (TMF's externalId). */
  key?: string;
  /**
   * `fn` is a use case that locks its own scope (`createApplication`, `runTransition`): the
   * transaction then locks only this idempotency key before reading its record, and the use case
   * its card, instead of the whole database (src/db/postgres.ts). Anything else must leave it unset.
   */
  scopedUseCase?: boolean;
}

/**
 * Runs `fn` once per (scope, key). `fn` receives deps whose `db` is the open transaction, so the
 * use case, its audit event, its jobs and the idempotency record commit or roll back together.
 */
export async function idempotent(
  deps: AppDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  scope: string,
  fn: (txDeps: AppDeps) => Promise<StoredResponse>,
  options: IdempotentOptions = {},
): Promise<FastifyReply> {
  const key = options.key ?? idempotencyKey(req);
  const hash = requestHash(req);
  const lock = idempotencyLockKey(scope, key);
  const result = await inTransaction(
    deps.db,
    async (tx) => {
      // A scoped use case: the key's lock and the read of its record in one round trip on PostgreSQL.
      const [[prior]] = options.scopedUseCase
        ? await lockScopeAndRead(tx, [lock], [recordOf.with({ scope, key })])
        : await together(tx, [recordOf.with({ scope, key })]);
      if (prior) {
        if (prior.requestHash !== hash) throw new AppError("IDEMPOTENCY_KEY_REUSED");
        return {
          replayed: true,
          status: prior.responseStatus,
          body: JSON.parse(prior.responseBody) as unknown,
        };
      }
      const out = await fn({ ...deps, db: tx });
      // A scoped use case that locked nothing of its own would have run unprotected.
      const held = heldLocks(tx);
      if (options.scopedUseCase && held !== "all" && held !== undefined && held.size < 2) {
        throw new Error(`${req.method} ${req.url}: the use case locked no scope of its own`);
      }
      const record: IdempotencyRecordsTable = {
        scope,
        key,
        requestHash: hash,
        responseStatus: out.status,
        responseBody: JSON.stringify(out.body),
        createdAt: deps.clock.now().toISOString(),
      };
      // Nothing reads it back before the commit: it goes out with the audit trail's head read.
      await writeAtCommit(tx, insertRecord.with({ ...record }, {}));
      return { replayed: false, ...out };
    },
    // The key's lock makes a concurrent duplicate wait, then find the record and replay it.
    options.scopedUseCase ? { lock: "deferred" } : {},
  );
  if (!result.replayed) deps.onJobsEnqueued?.();
  reply.header("idempotency-key", key);
  if (result.replayed) reply.header("idempotent-replayed", "true");
  return reply.code(result.status).send(result.body);
}
