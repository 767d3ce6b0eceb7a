/**
 * Server-side sessions: the client holds a random token; only its SHA-256 is stored, so a leaked
 * database does not leak live sessions. Each session carries a CSRF token for cookie-based writes.
 */
import { createHash } from "node:crypto";
import type { DbOrTx } from "../../db/connect.js";
import { prepared } from "../../db/prepared.js";
import type { Actor, AppDeps } from "../context.js";
import { readCache } from "../read-cache.js";

export interface IssuedSession {
  token: string;
  csrfToken: string;
  expiresAt: string;
  actor: Actor;
}

export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function issueSession(deps: AppDeps, db: DbOrTx, actor: Actor): Promise<IssuedSession> {
  const token = deps.ids.token();
  const csrfToken = deps.ids.token();
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.config.sessionHours * 3_600_000).toISOString();
  await db
    .insertInto("sessions")
    .values({
      tokenHash: tokenHash(token),
      subjectType: actor.type,
      subjectId: actor.id,
      role: actor.role,
      csrfToken,
      createdAt: now.toISOString(),
      expiresAt,
    })
    .execute();
  return { token, csrfToken, expiresAt, actor };
}

export interface ResolvedSession {
  actor: Actor;
  csrfToken: string;
}

/** Every authenticated request runs this: one prepared read, the session with its staff member. */
const sessionByTokenHash = prepared<{ tokenHash: string }>()((db, a) =>
  db
    .selectFrom("sessions as s")
    .leftJoin("staff as st", (j) => j.onRef("st.id", "=", "s.subjectId").on("s.subjectType", "=", "staff"))
    .select([
      "s.subjectType",
      "s.subjectId",
      "s.csrfToken",
      "s.expiresAt",
      "st.id as staffId",
      "st.role as staffRole",
      "st.providerId as staffProviderId",
    ])
    .where("s.tokenHash", "=", a.tokenHash),
);

/**
 * The actor behind a token, or null when the token is unknown or expired. One read per request:
 * the staff member's current role and provider come with the session (a role change applies at
 * once, as before).
 */
export async function resolveSession(deps: AppDeps, token: string): Promise<ResolvedSession | null> {
  const now = deps.clock.now();
  return readCache(deps).get(`session|${token}`, now.getTime(), async () => {
    const row = await sessionByTokenHash.first(deps.db, { tokenHash: tokenHash(token) });
    const value = row && row.expiresAt > now.toISOString() ? sessionOf(row) : null;
    // Remembered until it expires; an unknown token is not remembered (anyone can make up many).
    return { value, until: value ? Date.parse(row!.expiresAt) : 0, size: 256 };
  });
}

function sessionOf(row: {
  subjectType: string;
  subjectId: string;
  csrfToken: string;
  staffId: string | null;
  staffRole: string | null;
  staffProviderId: string | null;
}): ResolvedSession | null {
  if (row.subjectType === "holder")
    return Object.freeze({
      actor: Object.freeze({ type: "holder", id: row.subjectId, role: "holder" }),
      csrfToken: row.csrfToken,
    });
  if (row.subjectType === "staff") {
    if (!row.staffId || !row.staffRole) return null;
    return Object.freeze({
      actor: Object.freeze({
        type: "staff",
        id: row.subjectId,
        role: row.staffRole as "agent" | "supervisor" | "admin",
        providerId: row.staffProviderId,
      }),
      csrfToken: row.csrfToken,
    });
  }
  return null;
}

export async function endSession(deps: AppDeps, token: string): Promise<void> {
  await deps.db.deleteFrom("sessions").where("tokenHash", "=", tokenHash(token)).execute();
}
