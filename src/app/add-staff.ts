/** An admin adds a staff account; the password is stored as an argon2id hash only. */
import { z } from "zod";
import { appendAudit } from "../db/audit-repository.js";
import { inTransaction } from "../db/connect.js";
import { STAFF_ROLES } from "../domain/policy.js";
import { type Actor, type AppDeps, authorize } from "./context.js";
import { AppError } from "./errors.js";

export const addStaffSchema = z
  .object({
    username: z.string().regex(/^[a-z0-9._-]{3,40}$/, "3–40 of a-z 0-9 . _ -"),
    displayName: z.string().trim().min(1).max(80),
    role: z.enum(STAFF_ROLES),
    password: z.string().min(10).max(200),
    providerId: z.string().max(100).nullable().optional(),
    branch: z.string().max(80).nullable().optional(),
  })
  .strict();
export type AddStaffInput = z.infer<typeof addStaffSchema>;

export async function addStaff(
  deps: AppDeps,
  actor: Actor,
  input: AddStaffInput,
): Promise<{ id: string; username: string; role: string }> {
  authorize(actor, "staff.add");
  const passwordHash = await deps.hasher.hash(input.password);
  return inTransaction(deps.db, async (tx) => {
    const taken = await tx
      .selectFrom("staff")
      .select("id")
      .where("username", "=", input.username)
      .executeTakeFirst();
    if (taken) throw new AppError("STAFF_USERNAME_TAKEN", { username: input.username });
    const id = deps.ids.id("stf");
    const now = deps.clock.now().toISOString();
    await tx
      .insertInto("staff")
      .values({
        id,
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        providerId: input.providerId ?? null,
        branch: input.branch ?? null,
        passwordHash,
        failedLogins: 0,
        lockedUntil: null,
        createdAt: now,
      })
      .execute();
    await appendAudit(tx, {
      id: deps.ids.id("evt"),
      entityType: "staff",
      entityId: id,
      applicationId: null,
      action: "staff.add",
      actorType: actor.type,
      actorId: actor.id,
      after: { username: input.username, role: input.role, providerId: input.providerId ?? null },
      at: now,
    });
    return { id, username: input.username, role: input.role };
  });
}
