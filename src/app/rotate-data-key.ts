/**
 * Re-seals every sealed value under the vault's current data key, in one transaction: names and
 * ID numbers, card numbers, staff TOTP secrets, document images. Lookup hashes do not change (their
 * key is not rotated), so nothing has to be re-indexed.
 */

import type { RotatingVault } from "../adapters/pii-vault.js";
import { appendAudit } from "../db/audit-repository.js";
import { type Db, inTransaction } from "../db/connect.js";

export interface RotationCount {
  holders: number;
  cards: number;
  staff: number;
  documents: number;
}

export async function resealAll(
  db: Db,
  vault: RotatingVault,
  ids: { id(prefix: string): string },
  now: Date,
): Promise<RotationCount> {
  const kid = vault.currentKid;
  return inTransaction(db, async (tx) => {
    const count: RotationCount = { holders: 0, cards: 0, staff: 0, documents: 0 };
    for (const h of await tx.selectFrom("holders").select(["id", "nameEnc", "idNumberEnc"]).execute()) {
      if (vault.kidOf(h.nameEnc) === kid && vault.kidOf(h.idNumberEnc) === kid) continue;
      await tx
        .updateTable("holders")
        .set({
          nameEnc: vault.encrypt(vault.decrypt(h.nameEnc)),
          idNumberEnc: vault.encrypt(vault.decrypt(h.idNumberEnc)),
        })
        .where("id", "=", h.id)
        .execute();
      count.holders++;
    }
    for (const c of await tx
      .selectFrom("cards")
      .select(["id", "cardNumberEnc"])
      .where("cardNumberEnc", "is not", null)
      .execute()) {
      if (vault.kidOf(c.cardNumberEnc!) === kid) continue;
      await tx
        .updateTable("cards")
        .set({ cardNumberEnc: vault.encrypt(vault.decrypt(c.cardNumberEnc!)) })
        .where("id", "=", c.id)
        .execute();
      count.cards++;
    }
    for (const s of await tx
      .selectFrom("staff")
      .select(["id", "totpSecretSealed"])
      .where("totpSecretSealed", "is not", null)
      .execute()) {
      if (vault.kidOf(s.totpSecretSealed!) === kid) continue;
      await tx
        .updateTable("staff")
        .set({ totpSecretSealed: vault.encrypt(vault.decrypt(s.totpSecretSealed!)) })
        .where("id", "=", s.id)
        .execute();
      count.staff++;
    }
    for (const d of await tx.selectFrom("documents").select(["id", "dataSealed"]).execute()) {
      const sealed = Buffer.from(d.dataSealed);
      if (vault.kidOf(sealed) === kid) continue;
      await tx
        .updateTable("documents")
        .set({ dataSealed: vault.sealBytes(vault.openBytes(sealed)) })
        .where("id", "=", d.id)
        .execute();
      count.documents++;
    }
    await appendAudit(tx, {
      id: ids.id("evt"),
      entityType: "keys",
      entityId: kid,
      applicationId: null,
      action: "keys.rotate_data",
      actorType: "system",
      actorId: "cli",
      after: count,
      at: now.toISOString(),
    });
    return count;
  });
}
