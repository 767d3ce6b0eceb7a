/** Reads of the API as cached queries, and the keys writes invalidate. */
import { QueryClient, useQuery } from "@tanstack/react-query";
import { ApiError, api } from "./client";
import type {
  ApplicationView,
  BackupItem,
  Batch,
  CardDetail,
  DocumentList,
  Me,
  MyCardItem,
  SignedDocument,
} from "./types";

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A flaky network gets three tries with backoff; an answer from the server is final.
      retry: (count, err) => count < 3 && err instanceof ApiError && err.transient,
      retryDelay: (n) => Math.min(500 * 2 ** n, 4000),
      staleTime: 10_000,
      refetchOnWindowFocus: true,
    },
    mutations: { retry: false },
  },
});

export const keys = {
  me: ["me"] as const,
  cards: ["cards"] as const,
  card: (id: string) => ["card", id] as const,
  backup: (id: string) => ["backup", id] as const,
  application: (id: string) => ["application", id] as const,
  documents: (id: string) => ["documents", id] as const,
  batch: (id: string) => ["batch", id] as const,
  signed: (id: string, kind: SignedDocument["kind"]) => ["signed", id, kind] as const,
};

export function useMe(enabled = true) {
  return useQuery({ queryKey: keys.me, queryFn: () => api<Me>("GET", "/me"), enabled });
}

export function useMyCards() {
  return useQuery({
    queryKey: keys.cards,
    queryFn: () => api<{ items: MyCardItem[] }>("GET", "/me/cards").then((r) => r.items),
  });
}

export function useCard(cardId: string) {
  return useQuery({
    queryKey: keys.card(cardId),
    queryFn: () => api<CardDetail>("GET", `/cards/${encodeURIComponent(cardId)}/eligibility`),
  });
}

export function useBackup(cardId: string) {
  return useQuery({
    queryKey: keys.backup(cardId),
    queryFn: () =>
      api<{ items: BackupItem[] }>("GET", `/cards/${encodeURIComponent(cardId)}/backup`).then((r) => r.items),
  });
}

const FINAL_STATUSES = ["closed", "withdrawn", "rejected"];

export function useApplication(id: string) {
  return useQuery({
    queryKey: keys.application(id),
    queryFn: () => api<ApplicationView>("GET", `/applications/${encodeURIComponent(id)}`),
    // While others act on it (staff, the provider's systems) look again now and then; not once final.
    refetchInterval: (q) => {
      const status = q.state.data?.application.status;
      return status && !FINAL_STATUSES.includes(status) ? 10_000 : false;
    },
  });
}

/** The application's receipt or certificate; null while it has none (RECEIPT_NOT_FOUND). */
export function useSignedDocument(applicationId: string, kind: SignedDocument["kind"], enabled: boolean) {
  return useQuery({
    queryKey: keys.signed(applicationId, kind),
    queryFn: () =>
      api<SignedDocument>("GET", `/applications/${encodeURIComponent(applicationId)}/${kind}`).catch(
        (err: unknown) => {
          if (err instanceof ApiError && err.code === "RECEIPT_NOT_FOUND") return null;
          throw err;
        },
      ),
    enabled,
    staleTime: 60_000,
  });
}

export function useDocuments(applicationId: string | undefined) {
  return useQuery({
    queryKey: keys.documents(applicationId ?? ""),
    queryFn: () => api<DocumentList>("GET", `/applications/${encodeURIComponent(applicationId!)}/documents`),
    enabled: Boolean(applicationId),
  });
}

export function useBatch(id: string) {
  return useQuery({
    queryKey: keys.batch(id),
    queryFn: () => api<{ batch: Batch }>("GET", `/batches/${encodeURIComponent(id)}`).then((r) => r.batch),
  });
}

/** After any change to an application: everything that shows it. */
export function invalidateApplication(applicationId: string, cardId?: string): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: keys.application(applicationId) }),
    queryClient.invalidateQueries({ queryKey: keys.documents(applicationId) }),
    queryClient.invalidateQueries({ queryKey: ["signed", applicationId] }),
    queryClient.invalidateQueries({ queryKey: keys.cards }),
    cardId ? queryClient.invalidateQueries({ queryKey: keys.card(cardId) }) : undefined,
  ]);
}
