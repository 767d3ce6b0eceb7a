/**
 * The draft application behind a card's journey. It is created by the holder's first recorded
 * choice (POST /applications with that choice), then filled in with PATCH. Each save is one intent
 * with its own Idempotency-Key, reused if the network makes the client try again.
 */
import { useCallback } from "react";
import { useNavigate } from "react-router";
import { api, newIdempotencyKey } from "../api/client";
import { invalidateApplication, keys, queryClient } from "../api/queries";
import type { Application, BalanceOption, Timing, UnbindingItem } from "../api/types";

export interface DraftFields {
  backup?: { status: "pending" | "done" | "waived"; note?: string };
  unbinding?: UnbindingItem[];
  balanceOption?: BalanceOption;
  transferTo?: string;
  timing?: Timing;
  requestedDate?: string;
  reason?: string;
}

export function useDraft(cardId: string, draft: Application | null) {
  const navigate = useNavigate();

  const save = useCallback(
    async (fields: DraftFields): Promise<Application> => {
      const patch = async (id: string) => {
        const r = await api<{ application: Application }>("PATCH", `/applications/${id}`, {
          body: fields,
          idempotencyKey: newIdempotencyKey("draft"),
        });
        await invalidateApplication(r.application.id, cardId);
        return r.application;
      };
      if (draft) return patch(draft.id);
      const r = await api<{ created: boolean; application: Application }>("POST", "/applications", {
        body: { cardId, ...fields },
        idempotencyKey: newIdempotencyKey("create"),
      });
      await queryClient.invalidateQueries({ queryKey: keys.card(cardId) });
      await queryClient.invalidateQueries({ queryKey: keys.cards });
      if (!r.created && r.application.status !== "draft") {
        // Filed already (another tab, another device): show that application, do not start over.
        navigate(`/applications/${r.application.id}`, { replace: true, state: { notice: "existing" } });
      } else if (!r.created) {
        // An existing draft (opened elsewhere): the choice still has to be recorded on it.
        return patch(r.application.id);
      }
      return r.application;
    },
    [cardId, draft, navigate],
  );

  return save;
}
