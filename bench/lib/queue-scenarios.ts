/** The staff queue pages a benchmark opens: the common filters and sorts of the console. */
import type { QueueFilter, QueueSort } from "../../src/db/applications-repository.js";
import type { ApplicationStatus } from "../../src/domain/states.js";
import { BRANCHES, PROVIDERS } from "./dataset.js";

export interface Scenario {
  name: string;
  filter: QueueFilter;
  page: { limit: number; offset: number; sort: QueueSort; order: "asc" | "desc" };
}

const OPEN_WORK: ApplicationStatus[] = ["submitted", "under_review", "needs_info"];

export function queueScenarios(now: Date, someNumber: string): Scenario[] {
  const page = { limit: 50, offset: 0, sort: "due_at" as QueueSort, order: "asc" as const };
  return [
    { name: "everything, by due date (no filter)", filter: {}, page },
    { name: "open work (3 statuses), by due date", filter: { status: OPEN_WORK }, page },
    { name: "submitted, by due date", filter: { status: ["submitted"] }, page },
    { name: "overdue open work", filter: { status: OPEN_WORK, dueBefore: now.toISOString() }, page },
    { name: "submitted SIM cards", filter: { status: ["submitted"], family: "sim" }, page },
    { name: "one provider's submitted", filter: { status: ["submitted"], providerId: PROVIDERS.bank }, page },
    { name: "one branch's submitted", filter: { status: ["submitted"], branch: BRANCHES[0] }, page },
    { name: "everything, newest first", filter: {}, page: { ...page, sort: "created_at", order: "desc" } },
    {
      name: "open work, page 21 (offset 1000)",
      filter: { status: OPEN_WORK },
      page: { ...page, offset: 1000 },
    },
    { name: "look up by number", filter: { q: someNumber }, page },
  ];
}

/** The query string the console sends for a scenario. */
export function queueUrl(s: Scenario): string {
  const q = new URLSearchParams();
  for (const st of s.filter.status ?? []) q.append("status", st);
  if (s.filter.family) q.set("family", s.filter.family);
  if (s.filter.providerId) q.set("providerId", s.filter.providerId);
  if (s.filter.branch) q.set("branch", s.filter.branch);
  if (s.filter.dueBefore) q.set("dueBefore", s.filter.dueBefore);
  if (s.filter.q) q.set("q", s.filter.q);
  q.set("limit", String(s.page.limit));
  q.set("offset", String(s.page.offset));
  q.set("sort", s.page.sort);
  q.set("order", s.page.order);
  return `/api/v1/applications?${q}`;
}
